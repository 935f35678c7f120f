// The real sivo-webhooks binary as a child process: started on an ephemeral
// port (read back from its start-up line) with a throwaway data dir, stopped
// with SIGTERM.

import { spawn } from 'node:child_process';
import { once } from 'node:events';

const START_TIMEOUT_MS = 20000;

export async function startEngine({ binary, dataDir, adminToken, caFile, retrySchedule }) {
  const args = [
    '--listen', '127.0.0.1:0',
    '--data-dir', dataDir,
    '--admin-token', adminToken,
    '--allow-private-networks',
    '--ca-file', caFile,
    '--retry-schedule', retrySchedule,
    '--attempt-timeout', '5s',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine did not start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    baseUrl,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
}
