// How times, latencies and delivery health read on screen.

export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const today = new Date();
  const time = date.toLocaleTimeString(undefined, { hour12: false });
  const ms = String(date.getMilliseconds()).padStart(3, '0');
  if (date.toDateString() === today.toDateString()) return `${time}.${ms}`;
  return `${date.toLocaleDateString()} ${time}`;
}

export function formatLatency(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms >= 10000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms)} ms`;
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

// The recent success rate of an endpoint from its last attempts (newest first).
// level: 'good' | 'warn' | 'bad' | 'none'.
export function health(attempts) {
  const total = attempts.length;
  if (total === 0) return { level: 'none', rate: null, total, label: 'No deliveries yet' };
  const delivered = attempts.filter((a) => a.outcome === 'delivered').length;
  const rate = delivered / total;
  const level = rate >= 0.95 ? 'good' : rate >= 0.7 ? 'warn' : 'bad';
  const percent = `${Math.round(rate * 100)}%`;
  return {
    level,
    rate,
    total,
    label: `${percent} ok`,
    detail: `${percent} of the last ${plural(total, 'attempt')} succeeded`,
  };
}

// What went wrong with an attempt: the engine's error text, else the status.
export function failureText(error, statusCode) {
  if (error) return error;
  if (statusCode !== null && statusCode !== undefined && (statusCode < 200 || statusCode > 299)) return `HTTP ${statusCode}`;
  return null;
}

export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
