// A tenant's endpoints: URL, filter, state and a health hint from each
// endpoint's recent deliveries.

import { api, paths } from '../api.js';
import { h, replace, route } from '../dom.js';
import { health } from '../format.js';
import { badge, healthBadge, table } from '../ui.js';

const HEALTH_FETCHES_AT_ONCE = 4;

export function filterSummary(patterns) {
  if (!patterns || patterns.length === 0 || patterns.includes('*')) return h('span', { class: 'muted' }, 'All events');
  return h('span', { class: 'chips' }, patterns.map((p) => h('span', { class: 'chip' }, p)));
}

export function stateBadge(endpoint) {
  if (endpoint.enabled) return badge('Enabled', 'good');
  return h('span', {}, badge('Disabled', 'neutral'),
    endpoint.disabled_reason ? h('span', { class: 'muted small block' }, endpoint.disabled_reason) : null);
}

export async function endpointsView(ctx) {
  const tenant = ctx.params.tenant;
  const { items } = await api('GET', paths.endpoints(tenant));
  const endpoints = [...items].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  const healthCells = new Map();

  const columns = [
    {
      label: 'URL',
      cell: (e) => h('div', {},
        h('a', { href: route('t', tenant, 'endpoints', e.id), class: 'url' }, e.url),
        e.description ? h('div', { class: 'muted small' }, e.description) : null),
    },
    { label: 'Events', cell: (e) => filterSummary(e.event_types) },
    { label: 'State', cell: stateBadge },
    {
      label: 'Health',
      cell: (e) => {
        const cell = h('span', { class: 'health health-none' }, '…');
        healthCells.set(e.id, cell);
        return cell;
      },
    },
    {
      label: '',
      class: 'actions',
      cell: (e) => h('a', { href: route('t', tenant, 'endpoints', e.id), class: 'button small' }, 'Open'),
    },
  ];
  const list = table(columns, endpoints, {
    empty: 'No endpoints yet. Add one to start receiving events.',
    rowAttrs: (e) => ({ dataset: { endpointId: e.id } }),
  });

  // Health hints load after the list shows, a few at a time.
  const queue = [...endpoints];
  const worker = async () => {
    while (queue.length && ctx.alive()) {
      const endpoint = queue.shift();
      try {
        const { items: attempts } = await api('GET', paths.deliveries(tenant, endpoint.id));
        const cell = healthCells.get(endpoint.id);
        if (cell) cell.replaceWith(healthBadge(health(attempts)));
      } catch {
        const cell = healthCells.get(endpoint.id);
        if (cell) replace(cell, '?');
      }
    }
  };
  for (let i = 0; i < HEALTH_FETCHES_AT_ONCE; i++) worker();

  return h('section', {},
    h('div', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'crumbs' }, 'Tenant ', h('span', { class: 'mono' }, tenant)),
        h('h1', {}, 'Endpoints')),
      h('a', { href: route('t', tenant, 'endpoints', 'new'), class: 'button primary' }, 'New endpoint')),
    h('div', { class: 'card flush' }, list.node));
}
