// The "Deliveries" tab: the last 100 attempts, newest first, refreshed every
// two seconds in place, with a chart of their latency and outcome.

import { api, paths } from '../api.js';
import { h, replace } from '../dom.js';
import { latencyChart } from '../chart.js';
import { failureText, formatLatency, formatTime, percentile, plural } from '../format.js';
import { fillRows, outcomeBadge, table } from '../ui.js';

const REFRESH_MS = 2000;

const COLUMNS = [
  { label: 'Time', cell: (a) => h('time', { datetime: a.at, title: a.at }, formatTime(a.at)) },
  {
    label: 'Event type',
    cell: (a) => h('span', {}, h('span', { class: 'mono' }, a.event_type), a.test ? h('span', { class: 'tag' }, 'test') : null),
  },
  { label: 'Event ID', class: 'mono small', cell: (a) => a.event_id },
  { label: 'Attempt', class: 'num', cell: (a) => String(a.attempt) },
  { label: 'Status', class: 'num', cell: (a) => (a.status_code === null || a.status_code === undefined ? '—' : String(a.status_code)) },
  { label: 'Latency', class: 'num', cell: (a) => formatLatency(a.latency_ms) },
  { label: 'Outcome', cell: (a) => outcomeBadge(a.outcome) },
  { label: 'Error', class: 'error-text', cell: (a) => failureText(a.error, a.status_code) },
];

const EMPTY = 'No deliveries yet. Send a test event, or ingest an event this endpoint subscribes to.';

function summary(attempts) {
  if (attempts.length === 0) return 'No attempts yet';
  const count = (o) => attempts.filter((a) => a.outcome === o).length;
  const latencies = attempts.map((a) => a.latency_ms || 0);
  return `Last ${plural(attempts.length, 'attempt')}: ${count('delivered')} delivered, ${count('failed')} failed, ` +
    `${count('dead')} dead · median ${formatLatency(percentile(latencies, 50))}, p95 ${formatLatency(percentile(latencies, 95))}`;
}

export async function deliveriesTab(ctx, { tenant, endpoint, setHealth }) {
  const list = table(COLUMNS, [], { empty: EMPTY, rowAttrs: (a) => ({ dataset: { eventId: a.event_id, outcome: a.outcome } }) });
  const chartSlot = h('div', { class: 'chart-slot' });
  const summaryText = h('p', { class: 'muted small' });
  const live = h('span', { class: 'live' });
  let paused = false;
  const pause = h('button', { type: 'button', class: 'button small ghost' }, 'Pause');
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    live.classList.toggle('paused', paused);
  });

  const refresh = async () => {
    const { items } = await api('GET', paths.deliveries(tenant, endpoint.id));
    if (!ctx.alive()) return;
    fillRows(list.body, COLUMNS, items, { empty: EMPTY, rowAttrs: (a) => ({ dataset: { eventId: a.event_id, outcome: a.outcome } }) });
    replace(chartSlot, items.length ? latencyChart(items) : h('div', { class: 'chart-empty muted small' }, 'The chart appears with the first delivery.'));
    replace(summaryText, summary(items));
    replace(live, `Live · updated ${new Date().toLocaleTimeString(undefined, { hour12: false })}`);
    setHealth(items);
  };
  await refresh();
  ctx.every(REFRESH_MS, () => (paused ? undefined : refresh()));

  return h('div', {},
    h('div', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', {}, 'Latency and outcome'), h('div', { class: 'live-box' }, live, pause)),
      chartSlot,
      h('div', { class: 'legend small' },
        h('span', { class: 'key key-delivered' }, 'delivered'),
        h('span', { class: 'key key-failed' }, 'failed'),
        h('span', { class: 'key key-dead' }, 'dead'),
        h('span', { class: 'muted' }, 'oldest left, newest right; height = latency')),
      summaryText),
    h('div', { class: 'card flush' }, list.node));
}
