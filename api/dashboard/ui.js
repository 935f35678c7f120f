// Small pieces every view uses: notices, a confirm dialog, copy, badges, tables.

import { h, replace } from './dom.js';

const notices = () => document.getElementById('notices');

// A banner at the top; errors stay until closed or replaced, the rest fade.
export function notify(message, kind = 'info') {
  const close = h('button', { class: 'notice-close', type: 'button', 'aria-label': 'Dismiss' }, '×');
  const notice = h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', { class: 'notice-text' }, message), close);
  close.addEventListener('click', () => notice.remove());
  // One error at a time, and at most the latest two other notices.
  if (kind === 'error') notices().querySelectorAll('.notice-error').forEach((n) => n.remove());
  else [...notices().querySelectorAll('.notice:not(.notice-error)')].slice(0, -1).forEach((n) => n.remove());
  notices().append(notice);
  if (kind !== 'error') setTimeout(() => notice.remove(), 5000);
  return notice;
}

export function showError(error) {
  notify(error instanceof Error ? error.message : String(error), 'error');
}

export function clearNotices() {
  replace(notices());
}

// Resolves true when the user confirms.
export function confirmDialog({ title, message, confirmLabel = 'OK', danger = false }) {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'button' }, 'Cancel');
    const ok = h('button', { type: 'button', class: danger ? 'button danger' : 'button primary' }, confirmLabel);
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' },
      h('h2', { id: 'dialog-title' }, title),
      h('p', {}, message),
      h('div', { class: 'dialog-actions' }, cancel, ok));
    const finish = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    cancel.addEventListener('click', () => finish(false));
    ok.addEventListener('click', () => finish(true));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = h('textarea', { class: 'offscreen', readonly: true });
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('Copying is not allowed here; select the text and copy it by hand.');
}

export function copyButton(getText, label = 'Copy') {
  const button = h('button', { type: 'button', class: 'button small' }, label);
  button.addEventListener('click', async () => {
    try {
      await copyText(getText());
      button.textContent = 'Copied';
      setTimeout(() => (button.textContent = label), 1500);
    } catch (error) {
      showError(error);
    }
  });
  return button;
}

export function badge(text, kind) {
  return h('span', { class: `badge badge-${kind}` }, text);
}

export function outcomeBadge(outcome) {
  const kind = { delivered: 'good', failed: 'warn', dead: 'bad' }[outcome] || 'neutral';
  return badge(outcome || 'unknown', kind);
}

export function healthBadge(hint) {
  return h('span', { class: `health health-${hint.level}`, title: hint.detail || hint.label }, hint.label);
}

// columns: [{label, cell: (row) => node|string, class?}]
export function table(columns, rows, { empty, rowAttrs } = {}) {
  const align = (c) => (c.class || '').split(' ').filter((x) => x === 'num' || x === 'actions').join(' ') || null;
  const head = h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: align(c) }, c.label)));
  const body = h('tbody');
  fillRows(body, columns, rows, { empty, rowAttrs });
  return { node: h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, h('thead', {}, head), body)), body };
}

export function fillRows(body, columns, rows, { empty, rowAttrs } = {}) {
  if (rows.length === 0 && empty) {
    replace(body, h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, empty)));
    return;
  }
  replace(body, rows.map((row) => h('tr', rowAttrs ? rowAttrs(row) : {},
    columns.map((c) => h('td', { class: c.class, 'data-label': c.label }, c.cell(row))))));
}

// Disables a button while `work` runs.
export async function busy(button, work) {
  button.disabled = true;
  try {
    return await work();
  } finally {
    button.disabled = false;
  }
}

export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input,
    hint ? h('span', { class: 'field-hint' }, hint) : null);
}
