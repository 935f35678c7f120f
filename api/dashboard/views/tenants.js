// Admin: the tenants, and a form to create one. The new tenant's API key is
// shown once (the engine keeps only its digest).

import { api, paths } from '../api.js';
import { h, replace, route } from '../dom.js';
import { busy, copyButton, field, fillRows, notify, table } from '../ui.js';
import { formatTime } from '../format.js';

const EMPTY = 'No tenants yet. Create the first one above.';

const COLUMNS = [
  { label: 'ID', cell: (t) => h('a', { href: route('t', t.id, 'endpoints'), class: 'mono' }, t.id) },
  { label: 'Name', cell: (t) => t.name || '—' },
  { label: 'Created', cell: (t) => formatTime(t.created_at) },
  { label: '', class: 'actions', cell: (t) => h('a', { href: route('t', t.id, 'endpoints'), class: 'button small' }, 'Endpoints') },
];

export async function tenantsView(ctx) {
  const list = table(COLUMNS, [], { empty: EMPTY });
  const refresh = async () => {
    const { items } = await api('GET', paths.tenants());
    if (ctx.alive()) fillTenants(list, items);
  };

  const id = h('input', { name: 'id', required: true, pattern: '[a-z0-9][a-z0-9\\-]{0,62}', placeholder: 'acme', autocomplete: 'off' });
  const name = h('input', { name: 'name', placeholder: 'Acme Inc.', autocomplete: 'off' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Create tenant');
  const created = h('div');
  const form = h('form', { class: 'card form-inline' },
    h('h2', {}, 'New tenant'),
    h('div', { class: 'row' },
      field('ID', id, 'Lower-case letters, digits and dashes.'),
      field('Name', name),
      h('div', { class: 'field field-submit' }, submit)),
    created);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      try {
        const tenant = await api('POST', paths.tenants(), { id: id.value.trim(), name: name.value.trim() || id.value.trim() });
        replace(created, h('div', { class: 'callout' },
          h('p', {}, h('strong', {}, `API key for ${tenant.id}`), ' — shown only this once; store it now.'),
          h('div', { class: 'secret-row' }, h('code', { class: 'secret', 'data-testid': 'api-key' }, tenant.api_key),
            copyButton(() => tenant.api_key))));
        notify(`Tenant ${tenant.id} created.`, 'success');
        form.reset();
        await refresh();
      } catch (error) {
        ctx.handleError(error);
      }
    });
  });

  const { items } = await api('GET', paths.tenants());
  fillTenants(list, items);
  return h('section', {},
    h('div', { class: 'page-head' }, h('h1', {}, 'Tenants')),
    form,
    h('div', { class: 'card flush' }, list.node));
}

function fillTenants(list, items) {
  const sorted = [...items].sort((a, b) => a.id.localeCompare(b.id));
  fillRows(list.body, COLUMNS, sorted, { empty: EMPTY });
}
