// Create or edit an endpoint: URL, description, the event-type filter (as
// checkboxes from GET /v1/event-types, with one family wildcard per family)
// and the enabled switch. No box checked means every event type.

import { api, loadEventTypes, paths } from '../api.js';
import { h, route } from '../dom.js';
import { busy, field, notify } from '../ui.js';

function familiesOf(types) {
  const families = new Map();
  for (const type of types) {
    const family = type.family || type.name.split('.')[0];
    if (!families.has(family)) families.set(family, []);
    families.get(family).push(type);
  }
  return families;
}

function eventTypePicker(types, selected) {
  const chosen = new Set(selected.includes('*') ? [] : selected);
  const groups = [];
  const boxes = []; // {pattern, input, family?}
  for (const [family, members] of familiesOf(types)) {
    const wildcard = `${family}.*`;
    const familyBox = h('input', { type: 'checkbox', value: wildcard, checked: chosen.has(wildcard) });
    const memberBoxes = members.map((t) => h('input', { type: 'checkbox', value: t.name, checked: chosen.has(t.name) }));
    const sync = () => {
      for (const box of memberBoxes) {
        box.disabled = familyBox.checked;
        if (familyBox.checked) box.checked = true;
      }
    };
    familyBox.addEventListener('change', () => {
      if (!familyBox.checked) memberBoxes.forEach((b) => (b.checked = false));
      sync();
    });
    sync();
    boxes.push({ pattern: wildcard, input: familyBox });
    memberBoxes.forEach((input, i) => boxes.push({ pattern: members[i].name, input, family: familyBox }));
    groups.push(h('div', { class: 'type-group' },
      h('label', { class: 'check family' }, familyBox, h('span', { class: 'mono' }, wildcard),
        h('span', { class: 'muted small' }, `every ${family} event`)),
      h('div', { class: 'type-members' }, members.map((t, i) =>
        h('label', { class: 'check', title: t.description || '' }, memberBoxes[i],
          h('span', { class: 'mono' }, t.name))))));
  }
  const node = h('fieldset', { class: 'field types' },
    h('legend', { class: 'field-label' }, 'Event types'),
    h('p', { class: 'field-hint' }, 'Leave every box empty to receive all event types.'),
    h('div', { class: 'type-grid' }, groups));
  // Family wildcards, plus single types outside a checked family.
  const patterns = () => boxes
    .filter((b) => b.input.checked && !(b.family && b.family.checked))
    .map((b) => b.pattern);
  return { node, patterns };
}

export async function endpointFormView(ctx) {
  const { tenant, endpoint: endpointId } = ctx.params;
  const editing = Boolean(endpointId);
  const [types, existing] = await Promise.all([
    loadEventTypes(),
    editing ? api('GET', paths.endpoint(tenant, endpointId)) : Promise.resolve(null),
  ]);

  const url = h('input', {
    type: 'url', name: 'url', required: true, placeholder: 'https://example.com/webhooks/sivo',
    value: existing?.url || '', autocomplete: 'off', spellcheck: 'false',
  });
  const description = h('input', { name: 'description', maxlength: 1024, value: existing?.description || '', placeholder: 'CRM sync' });
  const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: existing ? existing.enabled : true });
  const secret = editing ? null : h('input', {
    name: 'secret', placeholder: 'Leave empty to generate one', autocomplete: 'off', spellcheck: 'false',
  });
  const picker = eventTypePicker(types, existing?.event_types || []);
  const submit = h('button', { type: 'submit', class: 'button primary' }, editing ? 'Save changes' : 'Create endpoint');
  const back = editing ? route('t', tenant, 'endpoints', endpointId) : route('t', tenant, 'endpoints');

  const form = h('form', { class: 'card form' },
    field('URL', url, 'HTTPS only. Each event is POSTed here, signed with the endpoint secret.'),
    field('Description', description),
    picker.node,
    secret ? field('Secret', secret, 'Optional: whsec_ followed by base64 of 24 to 64 bytes.') : null,
    h('label', { class: 'check switch' }, enabled, h('span', {}, 'Enabled')),
    h('div', { class: 'form-actions' }, submit, h('a', { href: back, class: 'button ghost' }, 'Cancel')));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      const body = {
        url: url.value.trim(),
        description: description.value.trim(),
        event_types: picker.patterns(),
        enabled: enabled.checked,
      };
      try {
        if (editing) {
          await api('PATCH', paths.endpoint(tenant, endpointId), body);
          notify('Endpoint saved.', 'success');
          ctx.navigate(route('t', tenant, 'endpoints', endpointId));
        } else {
          if (secret.value.trim()) body.secret = secret.value.trim();
          const created = await api('POST', paths.endpoints(tenant), body);
          notify('Endpoint created. Its signing secret is on this page.', 'success');
          ctx.navigate(route('t', tenant, 'endpoints', created.id));
        }
      } catch (error) {
        ctx.handleError(error);
      }
    });
  });

  return h('section', { class: 'narrow' },
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'crumbs' }, h('a', { href: route('t', tenant, 'endpoints') }, 'Endpoints'), ' / ',
          editing ? h('span', { class: 'mono' }, endpointId) : 'new'),
        h('h1', {}, editing ? 'Edit endpoint' : 'New endpoint'))),
    form);
}
