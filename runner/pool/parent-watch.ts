// A worker ends itself when the runner is gone, even while its main thread spins in a loop that never
// returns to the event loop (where 'disconnect' would be seen): a thread of its own checks its parent
// every half second. The runner kills its workers on every way out it sees; this covers the ones it
// cannot see (SIGKILL, the OOM killer).
import { Worker } from 'node:worker_threads';

const WATCH = `
const { workerData: parent } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
}, 500);
`;

export function watchParent(): void {
  new Worker(WATCH, { eval: true, workerData: process.ppid }).unref();
}
