// A small inline SVG chart of the last attempts: one bar per attempt, oldest
// on the left, its height the latency, its colour the outcome.

import { svg } from './dom.js';
import { formatLatency, formatTime } from './format.js';

const WIDTH = 800;
const HEIGHT = 120;
const SLOTS = 100;

export function latencyChart(attempts) {
  const ordered = [...attempts].slice(0, SLOTS).reverse(); // the API lists newest first
  const max = Math.max(1, ...ordered.map((a) => a.latency_ms || 0));
  const slot = WIDTH / SLOTS;
  const bars = ordered.map((a, i) => {
    const height = Math.max(3, Math.round(((a.latency_ms || 0) / max) * (HEIGHT - 8)));
    return svg('rect', {
      class: `bar bar-${a.outcome}`,
      x: ((SLOTS - ordered.length + i) * slot + 1).toFixed(1),
      y: HEIGHT - height,
      width: (slot - 2).toFixed(1),
      height,
      rx: 1.5,
    }, svg('title', {}, `${formatTime(a.at)} · ${a.event_type} · ${a.outcome} · ${a.status_code ?? 'no status'} · ${formatLatency(a.latency_ms)}`));
  });
  return svg('svg', {
    class: 'chart',
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    preserveAspectRatio: 'none',
    role: 'img',
    'aria-label': `Latency and outcome of the last ${ordered.length} attempts; tallest ${formatLatency(max)}`,
  },
  svg('line', { class: 'chart-grid', x1: 0, x2: WIDTH, y1: 8, y2: 8 }),
  svg('line', { class: 'chart-base', x1: 0, x2: WIDTH, y1: HEIGHT - 0.5, y2: HEIGHT - 0.5 }),
  bars);
}
