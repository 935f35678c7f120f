// The dashboard in a real browser (Debian's chromium through playwright-core)
// against the real engine binary and a real HTTPS receiver on loopback.
//
//   SIVO_BINARY=build/sivo-webhooks node --test tests/browser/dashboard.test.mjs
//
// Optional: SIVO_SCREENSHOTS=<dir> saves screenshots at 1280x800 and 390x844.
// The steps share one engine, one tenant and one page, and run in order.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';

import { startEngine } from './engine_process.mjs';
import { startReceiver } from './https_receiver.mjs';
import { makeThrowawayCa } from './throwaway_ca.mjs';

const BINARY = resolve(process.env.SIVO_BINARY || 'build/sivo-webhooks');
const CHROMIUM = process.env.SIVO_CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS = process.env.SIVO_SCREENSHOTS;
const ADMIN_TOKEN = 'browser-test-admin-token-0123456789';
const RETRY_SCHEDULE = '100ms,100ms,100ms,100ms,100ms,100ms'; // 7 attempts in about a second
const TIMEOUT = 15000;

const XSS_DATA = {
  call_id: 'call-xss',
  note: '<script>window.__xss = "payload"</script>',
  html: '<img src=x onerror="window.__xss = \'img\'">',
};

describe('dashboard', { timeout: 180000 }, () => {
  let dir, engine, receiver, browser, page;
  const pageErrors = [];
  const state = {}; // tenant key, endpoint id, event ids: passed from step to step

  // The public API, as the platform would call it.
  const api = async (method, path, body, token = state.apiKey) => {
    const response = await fetch(engine.baseUrl + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };

  const ingest = async (type, data) => {
    const r = await api('POST', `/v1/tenants/acme/events`, { type, data });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.endpoints, 1);
    return r.body.id;
  };

  const screenshot = async (name) => {
    if (!SCREENSHOTS) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-1280.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-390.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  };

  const openTab = async (name) => {
    await page.getByRole('tab', { name }).click();
    await page.getByRole('tab', { name, selected: true }).waitFor();
  };

  const editUrl = async (url) => {
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel('URL').fill(url);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: url }).waitFor();
  };

  const dlqRow = (eventId) => page.locator(`tr[data-event-id="${eventId}"]`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sivo-browser-'));
    const tls = makeThrowawayCa(dir);
    receiver = await startReceiver(tls);
    engine = await startEngine({
      binary: BINARY,
      dataDir: join(dir, 'data'),
      adminToken: ADMIN_TOKEN,
      caFile: tls.caFile,
      retrySchedule: RETRY_SCHEDULE,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    context.setDefaultTimeout(TIMEOUT);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // A Content-Security-Policy violation is a bug in the dashboard.
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
  });

  after(async () => {
    await browser?.close();
    await engine?.stop();
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the dashboard with its content types, a strict CSP and revalidation', async () => {
    const index = await fetch(engine.baseUrl + '/');
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type'), /^text\/html/);
    assert.match(index.headers.get('content-security-policy'), /default-src 'self'/);
    assert.match(index.headers.get('content-security-policy'), /script-src 'self'/);
    assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(await index.text(), /<script type="module" src="\/dashboard\/app.js">/);

    const script = await fetch(engine.baseUrl + '/dashboard/app.js');
    assert.match(script.headers.get('content-type'), /^text\/javascript/);
    const css = await fetch(engine.baseUrl + '/dashboard/style.css');
    assert.match(css.headers.get('content-type'), /^text\/css/);
    const again = await fetch(engine.baseUrl + '/dashboard/app.js', { headers: { 'If-None-Match': script.headers.get('etag') } });
    assert.equal(again.status, 304);
    assert.equal((await fetch(engine.baseUrl + '/dashboard/nope.js')).status, 404);
  });

  it('signs in with the admin token and creates a tenant, showing its API key once', async () => {
    await page.goto(engine.baseUrl + '/');
    await page.getByLabel('Token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not known' }).waitFor();
    await screenshot('01-sign-in');

    await page.getByLabel('Token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tenants' }).waitFor();
    await page.getByLabel('ID').fill('acme');
    await page.getByLabel('Name').fill('Acme <b>Inc</b>');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    state.apiKey = (await page.getByTestId('api-key').textContent()).trim();
    assert.ok(state.apiKey.length > 16, 'an API key is shown');
    await page.getByRole('cell', { name: 'Acme <b>Inc</b>' }).waitFor(); // text, not markup
    await screenshot('02-tenants');
  });

  it('signs out and in again with the tenant key, landing on its Endpoints', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('sivo.token')), null);
    await page.getByLabel('Token').fill(state.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Endpoints' }).waitFor();
    await page.getByRole('link', { name: 'Endpoints', exact: true }).waitFor();
  });

  it('creates an endpoint with a family wildcard filter', async () => {
    await page.getByRole('link', { name: 'New endpoint' }).click();
    await page.getByLabel('URL').fill(receiver.url('/hook'));
    await page.getByLabel('Description').fill('<img src=x onerror="window.__xss = \'description\'">');
    await page.locator('input[value="call.*"]').check();
    await page.locator('input[value="agent.paused"]').check();
    await screenshot('03-new-endpoint');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByRole('heading', { level: 1, name: receiver.url('/hook') }).waitFor();
    state.endpointId = /endpoints\/(ep_[^/]+)/.exec(page.url())[1];

    const stored = await api('GET', `/v1/tenants/acme/endpoints/${state.endpointId}`);
    assert.deepEqual([...stored.body.event_types].sort(), ['agent.paused', 'call.*']);
    await page.getByText('<img src=x onerror="window.__xss = \'description\'">').waitFor();
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('secret').filter({ hasText: stored.body.secret }).waitFor();
  });

  it('sends a test event, shows its status, latency and payload, and its row appears in Deliveries', async () => {
    await openTab('Send test event');
    await page.getByLabel('Event type').selectOption('call.created');
    await page.getByRole('button', { name: 'Send test event' }).click();
    const result = page.getByTestId('test-result');
    await result.waitFor();
    assert.equal((await page.getByTestId('test-status').textContent()).trim(), '200');
    assert.match(await result.locator('pre').textContent(), /"type": "call.created"/);
    await screenshot('04-tester');
    const testEventId = receiver.received.at(-1).headers['x-sivo-event-id'];

    await openTab('Deliveries');
    const row = page.locator(`tr[data-event-id="${testEventId}"]`);
    await row.waitFor();
    assert.equal((await row.locator('td[data-label="Status"]').textContent()).trim(), '200');
    assert.equal((await row.locator('td[data-label="Outcome"]').textContent()).trim(), 'delivered');

    // Live: an event ingested now shows up without reloading the page.
    const liveId = await ingest('call.answered', { call_id: 'call-1' });
    await page.locator(`tr[data-event-id="${liveId}"][data-outcome="delivered"]`).waitFor();
    await page.locator('svg.chart rect.bar-delivered').first().waitFor();
    await screenshot('05-deliveries');
  });

  it('an event the receiver keeps failing is dead-lettered and shown in the Dead-letter queue', async () => {
    await editUrl(receiver.url('/broken'));
    state.deadId = await ingest('call.ended', XSS_DATA);
    await openTab('Dead-letter queue');
    const row = dlqRow(state.deadId);
    await row.waitFor({ timeout: 20000 });
    assert.equal((await row.locator('td[data-label="Attempts"]').textContent()).trim(), '7');
    assert.equal((await row.locator('td[data-label="Last status"]').textContent()).trim(), '500');
    await screenshot('06-dlq');
  });

  it('"Download JSON" downloads the dead events with their full payloads', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `dlq-${state.endpointId}.json`);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    const item = exported.items.find((i) => i.event_id === state.deadId);
    assert.ok(item, 'the dead event is in the download');
    assert.equal(item.payload.type, 'call.ended');
    assert.deepEqual(item.payload.data, XSS_DATA);
  });

  it('a payload containing <script> renders as text and runs nothing', async () => {
    await dlqRow(state.deadId).getByRole('button', { name: 'Payload' }).click();
    const payload = page.getByTestId('payload');
    await payload.waitFor();
    assert.match(await payload.textContent(), /<script>window.__xss = \\"payload\\"<\/script>/);
    await screenshot('07-dlq-payload');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('#app script, #app img').count(), 0);
  });

  it('after the URL is fixed, "Retry" delivers the dead event', async () => {
    await editUrl(receiver.url('/hook'));
    await openTab('Dead-letter queue');
    await dlqRow(state.deadId).getByRole('button', { name: 'Retry', exact: true }).click();
    await dlqRow(state.deadId).waitFor({ state: 'detached' });
    await openTab('Deliveries');
    await page.locator(`tr[data-event-id="${state.deadId}"][data-outcome="delivered"]`).waitFor();
    assert.ok(receiver.deliveredIds().includes(state.deadId), 'the receiver got the retried event');
  });

  it('"Retry all" redelivers every dead event', async () => {
    receiver.setFailing(true);
    const ids = [await ingest('call.created', { call_id: 'a' }), await ingest('agent.paused', { agent_id: 'b' })];
    await openTab('Dead-letter queue');
    for (const id of ids) await dlqRow(id).waitFor({ timeout: 20000 });
    receiver.setFailing(false);
    await page.getByRole('button', { name: 'Retry all' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Retry all' }).click();
    for (const id of ids) await dlqRow(id).waitFor({ state: 'detached' });
    await page.getByText('The dead-letter queue is empty').waitFor();
    const deadline = Date.now() + TIMEOUT;
    while (!ids.every((id) => receiver.deliveredIds().includes(id)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(ids.every((id) => receiver.deliveredIds().includes(id)), 'both were delivered');

    await page.getByRole('link', { name: 'Endpoints', exact: true }).first().click();
    await page.locator(`tr[data-endpoint-id="${state.endpointId}"] .health-bad, tr[data-endpoint-id="${state.endpointId}"] .health-warn, tr[data-endpoint-id="${state.endpointId}"] .health-good`).waitFor();
    await screenshot('08-endpoints');
    await page.getByRole('link', { name: receiver.url('/hook') }).click();
  });

  it('deletes the endpoint after a confirmation', async () => {
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { level: 1, name: receiver.url('/hook') }).waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByRole('heading', { level: 1, name: 'Endpoints' }).waitFor();
    await page.getByText('No endpoints yet').waitFor();
    const gone = await api('GET', `/v1/tenants/acme/endpoints/${state.endpointId}`);
    assert.equal(gone.status, 404);
  });

  it('ran no injected script and broke no Content-Security-Policy rule', async () => {
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.deepEqual(pageErrors, []);
  });
});
