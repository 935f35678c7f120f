// The "Send test event" tab: the built-in tester sends a synthetic, signed
// event of the chosen type to this endpoint now and shows what happened.

import { api, loadEventTypes, paths } from '../api.js';
import { h, replace } from '../dom.js';
import { formatLatency } from '../format.js';
import { badge, busy, field } from '../ui.js';

export async function testerTab(ctx, { tenant, endpoint, setHealth }) {
  const types = await loadEventTypes();
  const select = h('select', { name: 'type', id: 'test-type' },
    types.map((t) => h('option', { value: t.name }, t.description ? `${t.name} — ${t.description}` : t.name)));
  const send = h('button', { type: 'submit', class: 'button primary' }, 'Send test event');
  const result = h('div', { class: 'test-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'card form-inline' },
    h('p', { class: 'muted' }, 'Sends a synthetic, signed event of this type to ', h('span', { class: 'mono' }, endpoint.url),
      ' now. It shows up in "Deliveries" marked as a test.'),
    h('div', { class: 'row' }, field('Event type', select), h('div', { class: 'field field-submit' }, send)));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(send, async () => {
      replace(result, h('p', { class: 'muted' }, 'Sending…'));
      try {
        const r = await api('POST', paths.test(tenant, endpoint.id), { type: select.value });
        if (!ctx.alive()) return;
        const status = r.status_code === null || r.status_code === undefined ? 'no response' : String(r.status_code);
        replace(result, h('div', { class: 'card', 'data-testid': 'test-result' },
          h('div', { class: 'test-summary' },
            r.ok ? badge('Delivered', 'good') : badge('Failed', 'bad'),
            h('dl', { class: 'inline' },
              h('div', {}, h('dt', {}, 'Status code'), h('dd', { 'data-testid': 'test-status' }, status)),
              h('div', {}, h('dt', {}, 'Latency'), h('dd', {}, formatLatency(r.latency_ms))),
              h('div', {}, h('dt', {}, 'Event ID'), h('dd', { class: 'mono small' }, r.event_id || '—')))),
          r.error ? h('p', { class: 'error-text' }, r.error) : null,
          h('h3', {}, 'Payload sent'),
          h('pre', { class: 'payload' }, r.payload === null || r.payload === undefined ? '(none)' : JSON.stringify(r.payload, null, 2))));
        api('GET', paths.deliveries(tenant, endpoint.id)).then((d) => ctx.alive() && setHealth(d.items), () => {});
      } catch (error) {
        replace(result);
        ctx.handleError(error);
      }
    });
  });

  return h('div', {}, form, result);
}
