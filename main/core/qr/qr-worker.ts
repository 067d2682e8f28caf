/**
 * The QR worker thread: reads codes from grey or RGBA pixels posted by worker-pool.ts, so jsQR's
 * CPU-bound search never blocks the Electron main process or the CLI's event loop.
 * Built as its own bundle (dist/main/qr-worker.mjs, dist/cli/qr-worker.mjs) by scripts/build.mjs.
 */
import { parentPort } from 'node:worker_threads';
import { findQrCodes } from './find-qr-codes';
import type { QrJob, QrJobResult } from './qr-job';
import { toGrey } from './qr-job';

if (parentPort === null) throw new Error('qr-worker.ts runs only as a worker thread.');
const port = parentPort;

port.on('message', (job: QrJob) => {
  let reply: QrJobResult;
  try {
    const grey = toGrey(job);
    const found = findQrCodes({ width: job.width, height: job.height, grey });
    reply = { id: job.id, ok: true, texts: found.map((code) => code.text) };
  } catch (error) {
    reply = {
      id: job.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  port.postMessage(reply);
});
