import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { QrJob, QrJobResult } from './qr-job';

/**
 * A small pool of reused QR worker threads (1–2, never more than the machine has cores to
 * spare), started on first use. Idle workers are unref'd so they never keep the CLI alive.
 *
 * Where the worker's code is: next to the bundle that imports this module (scripts/build.mjs
 * builds dist/main/qr-worker.mjs and dist/cli/qr-worker.mjs), or, when running from the
 * TypeScript sources (vitest, tsx), qr-worker.ts here, loaded through tsx.
 */
export function workerEntry(base: string = import.meta.url): { url: URL; execArgv: string[] } {
  const bundled = new URL('./qr-worker.mjs', base);
  if (existsSync(fileURLToPath(bundled))) return { url: bundled, execArgv: [] };
  const source = new URL('./qr-worker.ts', base);
  if (existsSync(fileURLToPath(source))) return { url: source, execArgv: ['--import', 'tsx'] };
  throw new Error(`The QR worker is missing next to ${fileURLToPath(base)}: run npm run build.`);
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Pending {
  job: QrJob;
  resolve(texts: string[]): void;
  reject(error: Error): void;
}

const POOL_SIZE = Math.max(1, Math.min(2, os.availableParallelism() - 1));

const slots: Slot[] = [];
const queue: Pending[] = [];
const running = new Map<Slot, Pending>();
let nextId = 1;

/** Runs one QR search in a worker; resolves with the texts found, in the order found. */
export function runQrJob(job: Omit<QrJob, 'id'>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    queue.push({ job: { ...job, id: nextId++ }, resolve, reject });
    dispatch();
  });
}

function dispatch(): void {
  while (queue.length > 0) {
    let slot = slots.find((candidate) => !candidate.busy);
    if (slot === undefined) {
      if (slots.length >= POOL_SIZE) return;
      slot = startWorker();
    }
    const pending = queue.shift()!;
    slot.busy = true;
    slot.worker.ref();
    running.set(slot, pending);
    slot.worker.postMessage(pending.job);
  }
}

function startWorker(): Slot {
  const entry = workerEntry();
  const worker = new Worker(entry.url, { execArgv: entry.execArgv });
  const slot: Slot = { worker, busy: false };
  slots.push(slot);
  worker.on('message', (result: QrJobResult) => {
    const pending = running.get(slot);
    running.delete(slot);
    slot.busy = false;
    worker.unref();
    if (pending !== undefined) {
      if (result.ok) pending.resolve(result.texts);
      else pending.reject(new Error(result.message));
    }
    dispatch();
  });
  const fail = (error: Error) => {
    slots.splice(slots.indexOf(slot), 1);
    const pending = running.get(slot);
    running.delete(slot);
    pending?.reject(error);
    dispatch();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (slots.includes(slot)) fail(new Error(`The QR worker stopped (exit code ${code}).`));
  });
  worker.unref();
  return slot;
}

/** Stops every worker (tests, and the app on quit); a later job starts fresh ones. */
export async function stopQrWorkers(): Promise<void> {
  const stopping = slots.splice(0, slots.length);
  await Promise.all(stopping.map((slot) => slot.worker.terminate()));
  for (const [slot, pending] of running) {
    if (stopping.includes(slot)) pending.reject(new Error('The QR workers were stopped.'));
    running.delete(slot);
  }
}
