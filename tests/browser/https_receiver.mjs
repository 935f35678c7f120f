// A real HTTPS webhook receiver on loopback. Paths under /broken always answer
// 500 (with a body that would be script if anyone rendered it as HTML);
// everything else answers 200 unless setFailing(true).

import { createServer } from 'node:https';
import { once } from 'node:events';

export async function startReceiver({ key, cert }) {
  const received = [];
  let failing = false;
  const server = createServer({ key, cert }, (req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const status = failing || req.url.startsWith('/broken') ? 500 : 200;
      received.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'Content-Type': 'text/html' });
      res.end(status === 200 ? 'ok' : '<script>window.__xss = "receiver"</script> receiver failure');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    url: (path) => `https://127.0.0.1:${port}${path}`,
    received,
    // the deliveries of one event that this receiver answered 200
    deliveredIds: () => received.filter((r) => r.status === 200).map((r) => r.headers['x-sivo-event-id']),
    setFailing: (value) => (failing = value),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
