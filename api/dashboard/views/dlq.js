// The "Dead-letter queue" tab: events whose every attempt failed, with
// "Retry" per row, "Retry all", and "Download JSON" (the export, full
// payloads, fetched with the token and saved from a blob).

import { api, fetchFile, paths } from '../api.js';
import { h, replace } from '../dom.js';
import { failureText, formatTime, plural } from '../format.js';
import { busy, confirmDialog, notify, table } from '../ui.js';

const REFRESH_MS = 3000;

export async function dlqTab(ctx, { tenant, endpoint }) {
  let pages = [];            // items of every page loaded so far
  let nextCursor = null;
  let pagedFurther = false; // the user loaded more than the first page
  const open = new Set();    // event ids whose payload is shown
  let payloads = null;       // event id -> payload, from the export

  const countText = h('span', { class: 'muted' });
  const more = h('button', { type: 'button', class: 'button small' }, 'Load more');
  const list = table([
    { label: 'Event ID' }, { label: 'Event type' }, { label: 'Attempts' }, { label: 'Last status' },
    { label: 'Last error' }, { label: 'Dead since' }, { label: '' },
  ], []);

  const loadPayloads = async () => {
    const { blob } = await fetchFile(paths.dlqExport(tenant, endpoint.id), 'dlq.json');
    const exported = JSON.parse(await blob.text());
    payloads = new Map(exported.items.map((item) => [item.event_id, item.payload]));
  };

  const retryOne = async (button, item) => {
    await busy(button, async () => {
      try {
        await api('POST', paths.dlqRetry(tenant, endpoint.id, item.event_id));
        notify(`Event ${item.event_id} is being delivered again.`, 'success');
        pages = pages.filter((p) => p.event_id !== item.event_id);
        render();
        await reload();
      } catch (error) {
        ctx.handleError(error);
      }
    });
  };

  const rowsOf = (item) => {
    const retry = h('button', { type: 'button', class: 'button small primary' }, 'Retry');
    retry.addEventListener('click', () => retryOne(retry, item));
    const view = h('button', { type: 'button', class: 'button small', 'aria-expanded': String(open.has(item.event_id)) },
      open.has(item.event_id) ? 'Hide payload' : 'Payload');
    view.addEventListener('click', () => busy(view, async () => {
      try {
        if (open.has(item.event_id)) open.delete(item.event_id);
        else {
          if (!payloads || !payloads.has(item.event_id)) await loadPayloads();
          open.add(item.event_id);
        }
        render();
      } catch (error) {
        ctx.handleError(error);
      }
    }));
    const cells = [
      h('span', { class: 'mono small' }, item.event_id),
      h('span', { class: 'mono' }, item.event_type),
      String(item.attempts),
      item.last_status_code === null || item.last_status_code === undefined ? '—' : String(item.last_status_code),
      failureText(item.last_error, item.last_status_code),
      formatTime(item.dead_at),
      h('span', { class: 'row-actions' }, view, retry),
    ];
    const labels = ['Event ID', 'Event type', 'Attempts', 'Last status', 'Last error', 'Dead since', ''];
    const classes = ['', '', 'num', 'num', 'error-text', '', 'actions'];
    const row = h('tr', { dataset: { eventId: item.event_id } },
      cells.map((c, i) => h('td', { 'data-label': labels[i], class: classes[i] || null }, c)));
    if (!open.has(item.event_id)) return [row];
    const payload = payloads?.get(item.event_id);
    return [row, h('tr', { class: 'payload-row' }, h('td', { colspan: 7 },
      h('pre', { class: 'payload', 'data-testid': 'payload' }, payload === undefined ? 'Payload not found in the export.' : JSON.stringify(payload, null, 2))))];
  };

  const render = () => {
    if (pages.length === 0) {
      replace(list.body, h('tr', { class: 'empty' }, h('td', { colspan: 7 }, 'The dead-letter queue is empty. Events land here after every attempt failed.')));
    } else {
      replace(list.body, pages.flatMap(rowsOf));
    }
    replace(countText, nextCursor ? `${pages.length}+ dead events` : plural(pages.length, 'dead event'));
    more.hidden = !nextCursor;
  };

  const reload = async () => {
    const first = await api('GET', paths.dlq(tenant, endpoint.id));
    if (!ctx.alive()) return;
    pages = first.items;
    nextCursor = first.next_cursor || null;
    pagedFurther = false;
    render();
  };

  more.addEventListener('click', () => busy(more, async () => {
    try {
      const page = await api('GET', paths.dlq(tenant, endpoint.id, nextCursor));
      pages = pages.concat(page.items);
      pagedFurther = true;
      nextCursor = page.next_cursor || null;
      render();
    } catch (error) {
      ctx.handleError(error);
    }
  }));

  const retryAll = h('button', { type: 'button', class: 'button primary' }, 'Retry all');
  retryAll.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: 'Retry every dead event?',
      message: 'Each event in this queue starts a fresh series of attempts now.',
      confirmLabel: 'Retry all',
    });
    if (!ok) return;
    await busy(retryAll, async () => {
      try {
        const { count } = await api('POST', paths.dlqRetryAll(tenant, endpoint.id));
        notify(`${plural(count, 'event')} queued for delivery again.`, 'success');
        await reload();
      } catch (error) {
        ctx.handleError(error);
      }
    });
  });

  const download = h('button', { type: 'button', class: 'button' }, 'Download JSON');
  download.addEventListener('click', () => busy(download, async () => {
    try {
      const { blob, filename } = await fetchFile(paths.dlqExport(tenant, endpoint.id), `dlq-${endpoint.id}.json`);
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: filename, class: 'offscreen' });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) {
      ctx.handleError(error);
    }
  }));

  await reload();
  // Keep the first page current, unless the user paged further.
  const ids = (items) => items.map((p) => p.event_id).join();
  ctx.every(REFRESH_MS, async () => {
    if (pagedFurther) return;
    const first = await api('GET', paths.dlq(tenant, endpoint.id));
    if (!ctx.alive() || pagedFurther || ids(first.items) === ids(pages)) return;
    pages = first.items;
    nextCursor = first.next_cursor || null;
    for (const id of open) if (!pages.some((p) => p.event_id === id)) open.delete(id);
    if ([...open].some((id) => !payloads?.has(id))) await loadPayloads();
    render();
  });

  return h('div', {},
    h('div', { class: 'toolbar' }, countText, h('span', { class: 'grow' }), download, retryAll),
    h('div', { class: 'card flush' }, list.node),
    h('div', { class: 'more' }, more));
}
