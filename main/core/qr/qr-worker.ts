/**
 * The QR worker thread: reads codes from the pixels posted by worker-pool.ts, so the CPU-bound
 * search never blocks the Electron main process or the CLI's event loop, and a search that runs
 * too long can be stopped by terminating the thread (zxing-cpp's WebAssembly cannot be
 * interrupted any other way).
 * Built as its own bundle (dist/main/qr-worker.mjs, dist/cli/qr-worker.mjs) by scripts/build.mjs.
 */
import { parentPort } from 'node:worker_threads';
import type { QrJob, QrJobResult } from './qr-job';
import { searchPicture } from './search-picture';
import { createZxingReader } from './zxing-reader';
import { zxingWasmBytes } from './zxing-wasm-binary';

if (parentPort === null) throw new Error('qr-worker.ts runs only as a worker thread.');
const port = parentPort;
// Compiled once per thread, while the first picture is still on its way.
const zxing = createZxingReader(zxingWasmBytes());

port.on('message', (job: QrJob) => {
  void zxing.then(
    (read) => port.postMessage(search(job, read)),
    (error: unknown) => port.postMessage(failure(job, error)),
  );
});

function search(job: QrJob, read: Awaited<typeof zxing>): QrJobResult {
  try {
    const found = searchPicture(job, read);
    if (found.kind === 'too-complex') return { id: job.id, ok: false, tooComplex: true };
    return { id: job.id, ok: true, texts: found.texts, limitReached: found.limitReached };
  } catch (error) {
    return failure(job, error);
  }
}

function failure(job: QrJob, error: unknown): QrJobResult {
  return { id: job.id, ok: false, message: error instanceof Error ? error.message : String(error) };
}
