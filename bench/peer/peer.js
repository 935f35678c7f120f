// The build-your-own peer of bench/run scenario (h): what a competent team
// would write instead of sivo-webhooks. A BullMQ queue on Redis, one job per
// (event, endpoint), a worker with concurrency 100 that signs the body like
// the engine (X-Sivo-Signature and Standard Webhooks headers) and POSTs it
// through a keep-alive https agent; 7 attempts on the engine's retry
// schedule (5s,30s,2m,10m,1h,6h), failed jobs kept as the dead-letter queue.
//
//   node peer.js worker   --redis-port P --ca FILE [--concurrency 100]
//   node peer.js producer --redis-port P --url-base URL --endpoints 10 [--high 20000]
//
// The producer plays the ingest side: for each 1 KB event it renders the
// envelope once and adds one job per endpoint (addBulk), keeping the backlog
// of waiting jobs below --high, until SIGTERM.

'use strict';
const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const { Queue, Worker } = require('bullmq');

function arg(name, def) {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? process.argv[i + 1] : def;
}

const connection = { host: '127.0.0.1', port: Number(arg('redis-port', 16379)) };
const QUEUE = 'webhooks';
const SCHEDULE_MS = [5000, 30000, 120000, 600000, 3600000, 21600000];
const ENDPOINTS = Number(arg('endpoints', 10));
// Each endpoint has its own secret, as in the engine.
const secrets = Array.from({ length: ENDPOINTS }, (_, i) =>
  'whsec_' + crypto.createHash('sha256').update('bench-peer-' + i).digest('base64'));

function eventData(seq) {
  const data = {
    call_id: 'call_01HZBENCH000000000000000', segment_id: 'seg_' + String(seq).padStart(8, '0'),
    seq, speaker: 'agent', text: '', start_ms: 1000 * seq, end_ms: 1000 * seq + 900,
    language: 'en', confidence: 0.93, is_final: true,
  };
  const base = JSON.stringify(data).length + 140;
  data.text = 'hello this is a benchmark transcript segment '.repeat(40).slice(0, Math.max(0, 1024 - base));
  return data;
}

async function producer() {
  const queue = new Queue(QUEUE, { connection });
  const urlBase = arg('url-base');
  const high = Number(arg('high', 20000));
  let stop = false;
  process.on('SIGTERM', () => { stop = true; });
  process.on('SIGINT', () => { stop = true; });
  let seq = 0;
  const jobOpts = {
    attempts: SCHEDULE_MS.length + 1,
    backoff: { type: 'sivo' },
    removeOnComplete: true,
    removeOnFail: false,
  };
  while (!stop) {
    const waiting = await queue.getWaitingCount();
    if (waiting >= high) { await new Promise((r) => setTimeout(r, 20)); continue; }
    const jobs = [];
    for (let n = 0; n < 100; n++) {
      const id = 'evt_peer' + process.pid + '_' + seq;
      const body = JSON.stringify({ id, type: 'transcript.segment', tenant_id: 'bench',
        created_at: new Date().toISOString(), data: eventData(seq) });
      seq++;
      for (let e = 0; e < ENDPOINTS; e++) {
        jobs.push({ name: 'deliver', data: { id, type: 'transcript.segment', url: urlBase + '/' + e, e, body }, opts: jobOpts });
      }
    }
    await queue.addBulk(jobs);
  }
  await queue.close();
  process.exit(0);
}

async function worker() {
  const ca = fs.readFileSync(arg('ca'));
  const agent = new https.Agent({ keepAlive: true, maxSockets: 100, ca });
  const concurrency = Number(arg('concurrency', 100));

  function post(job) {
    const { id, type, url, e, body } = job.data;
    const secret = secrets[e];
    const ts = Math.floor(Date.now() / 1000).toString();
    const sivoSig = 'sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex');
    const key = Buffer.from(secret.slice(6), 'base64');
    const stdSig = 'v1,' + crypto.createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
    const headers = {
      'Content-Type': 'application/json', 'User-Agent': 'Peer-Webhooks/1.0',
      'Content-Length': Buffer.byteLength(body),
      'X-Sivo-Event-Id': id, 'X-Sivo-Event-Type': type, 'X-Sivo-Timestamp': ts,
      'X-Sivo-Delivery-Attempt': String(job.attemptsMade + 1), 'X-Sivo-Signature': sivoSig,
      'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': stdSig,
    };
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode >= 200 && res.statusCode < 300
          ? resolve(res.statusCode) : reject(new Error('HTTP ' + res.statusCode))));
      });
      req.setTimeout(10000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  }

  const w = new Worker(QUEUE, post, {
    connection, concurrency,
    settings: { backoffStrategy: (attemptsMade) => SCHEDULE_MS[Math.min(attemptsMade, SCHEDULE_MS.length) - 1] },
  });
  const stop = async () => { await w.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

(arg('mode', process.argv[2]) === 'producer' ? producer : worker)().catch((err) => {
  console.error(err);
  process.exit(1);
});
