import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the event loop. With SQLite's automatic checkpoints, every ~1000 pages
 * one unlucky commit copies the WAL back into the database file and fsyncs it — on this machine
 * that cost more than all the inserts (23k events/s with auto checkpoints vs 58k without, 10
 * events per transaction). So the main connection turns them off and this worker thread, with
 * its own connection to the same file, runs PASSIVE checkpoints (which never block the writer)
 * a few times a second. If the WAL still grows past `truncateAbovePages`, a RESTART checkpoint
 * makes the next writer start the WAL from the beginning again.
 */
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const tick = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.log > workerData.truncateAbovePages && r.checkpointed === r.log) db.pragma('wal_checkpoint(RESTART)');
  } catch (e) { /* busy: next tick */ }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); try { db.pragma('wal_checkpoint(TRUNCATE)'); } catch (e) {} db.close(); parentPort.postMessage('stopped'); }
});
`;

export class Checkpointer {
  private readonly worker: Worker;

  constructor(path: string, driverPath: string, intervalMs = 200, truncateAbovePages = 8_000) {
    this.worker = new Worker(source, { eval: true, workerData: { path, driver: driverPath, intervalMs, truncateAbovePages } });
    this.worker.unref();
  }

  /** Stops the thread after a final checkpoint that truncates the WAL. */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.worker.once('message', () => void this.worker.terminate().then(() => resolve()));
      this.worker.once('error', () => resolve());
      this.worker.postMessage('stop');
    });
  }
}
