// One endpoint: its settings, secret and health, and the three tabs
// "Deliveries", "Dead-letter queue" and "Send test event".

import { api, paths } from '../api.js';
import { h, replace, route } from '../dom.js';
import { health } from '../format.js';
import { busy, confirmDialog, copyButton, healthBadge, notify } from '../ui.js';
import { filterSummary, stateBadge } from './endpoints.js';
import { deliveriesTab } from './deliveries.js';
import { dlqTab } from './dlq.js';
import { testerTab } from './tester.js';

const TABS = [
  { id: 'deliveries', label: 'Deliveries', render: deliveriesTab },
  { id: 'dlq', label: 'Dead-letter queue', render: dlqTab },
  { id: 'test', label: 'Send test event', render: testerTab },
];

function secretRow(secret) {
  const shown = h('code', { class: 'secret masked', 'data-testid': 'secret' }, 'whsec_' + '•'.repeat(24));
  let visible = false;
  const toggle = h('button', { type: 'button', class: 'button small' }, 'Show');
  toggle.addEventListener('click', () => {
    visible = !visible;
    shown.textContent = visible ? secret : 'whsec_' + '•'.repeat(24);
    shown.classList.toggle('masked', !visible);
    toggle.textContent = visible ? 'Hide' : 'Show';
  });
  return h('div', { class: 'secret-row' }, shown, toggle, copyButton(() => secret));
}

export async function endpointView(ctx) {
  const { tenant, endpoint: endpointId } = ctx.params;
  const tabId = ctx.params.tab || 'deliveries';
  const endpoint = await api('GET', paths.endpoint(tenant, endpointId));

  const healthSlot = h('span', { class: 'muted' }, '…');
  // The deliveries tab reports every refresh; other tabs ask once.
  const setHealth = (attempts) => replace(healthSlot, healthBadge(health(attempts)));
  if (tabId !== 'deliveries') {
    api('GET', paths.deliveries(tenant, endpointId)).then((r) => ctx.alive() && setHealth(r.items), () => {});
  }

  const toggle = h('button', { type: 'button', class: 'button' }, endpoint.enabled ? 'Disable' : 'Enable');
  toggle.addEventListener('click', () => busy(toggle, async () => {
    try {
      await api('PATCH', paths.endpoint(tenant, endpointId), { enabled: !endpoint.enabled });
      notify(endpoint.enabled ? 'Endpoint disabled: new events are no longer sent to it.' : 'Endpoint enabled.', 'success');
      ctx.navigate(location.hash);
    } catch (error) {
      ctx.handleError(error);
    }
  }));
  const remove = h('button', { type: 'button', class: 'button danger' }, 'Delete');
  remove.addEventListener('click', async () => {
    const confirmed = await confirmDialog({
      title: 'Delete this endpoint?',
      message: `${endpoint.url} stops receiving events, and its delivery log and dead-letter queue are removed. This cannot be undone.`,
      confirmLabel: 'Delete endpoint',
      danger: true,
    });
    if (!confirmed) return;
    try {
      await api('DELETE', paths.endpoint(tenant, endpointId));
      notify('Endpoint deleted.', 'success');
      ctx.navigate(route('t', tenant, 'endpoints'));
    } catch (error) {
      ctx.handleError(error);
    }
  });

  const tab = TABS.find((t) => t.id === tabId) || TABS[0];
  const tabBar = h('nav', { class: 'tabs', role: 'tablist' }, TABS.map((t) =>
    h('a', {
      href: route('t', tenant, 'endpoints', endpointId, t.id),
      role: 'tab',
      class: t === tab ? 'tab active' : 'tab',
      'aria-selected': t === tab ? 'true' : 'false',
    }, t.label)));
  const panel = await tab.render(ctx, { tenant, endpoint, setHealth });

  return h('section', {},
    h('div', { class: 'page-head' },
      h('div', { class: 'grow' },
        h('p', { class: 'crumbs' }, h('a', { href: route('t', tenant, 'endpoints') }, 'Endpoints'), ' / ',
          h('span', { class: 'mono' }, endpoint.id)),
        h('h1', { class: 'url-title' }, endpoint.url),
        endpoint.description ? h('p', { class: 'muted' }, endpoint.description) : null),
      h('div', { class: 'head-actions' },
        h('a', { href: route('t', tenant, 'endpoints', endpointId, 'edit'), class: 'button' }, 'Edit'),
        toggle, remove)),
    h('div', { class: 'card facts' },
      h('dl', {},
        h('div', {}, h('dt', {}, 'State'), h('dd', {}, stateBadge(endpoint))),
        h('div', {}, h('dt', {}, 'Health'), h('dd', {}, healthSlot)),
        h('div', {}, h('dt', {}, 'Events'), h('dd', {}, filterSummary(endpoint.event_types))),
        h('div', { class: 'wide' }, h('dt', {}, 'Signing secret'), h('dd', {}, secretRow(endpoint.secret))))),
    tabBar,
    h('div', { class: 'tab-panel', role: 'tabpanel' }, panel));
}
