// Building DOM nodes without ever parsing HTML: every value, and above all
// everything that came from the API, becomes a text node or a property, so
// event payloads and error texts can never turn into markup or script.

const SVG_NS = 'http://www.w3.org/2000/svg';

function setProps(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'selected') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

function appendChildren(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// h('button', {class: 'primary', onclick}, 'Save')
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  appendChildren(el, children);
  return el;
}

export function svg(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setProps(el, props);
  appendChildren(el, children);
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  appendChildren(el, children);
}

// A hash link inside the dashboard, from path segments (each one encoded).
export function route(...segments) {
  return '#/' + segments.map((s) => encodeURIComponent(s)).join('/');
}
