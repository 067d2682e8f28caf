import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { QR_SEARCH_DEADLINE_MS } from './limits';
import type { QrJob, QrJobResult } from './qr-job';

/**
 * A small pool of reused QR worker threads (1–2, never more than the machine has cores to
 * spare), started on first use. Idle workers are unref'd so they never keep the CLI alive.
 *
 * Each job has a deadline: a worker still searching when it passes is terminated (nothing else
 * can stop zxing-cpp's WebAssembly mid-search) and later jobs get a fresh one. Cancelling a
 * job (its AbortSignal) terminates its worker the same way, or drops it from the queue.
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

/** The job was cancelled through its signal. */
export class QrJobCancelled extends Error {}
/** The search ran past its deadline; its worker was terminated. */
export class QrJobTimedOut extends Error {}
/** The search hit a bound before reading any code (search-picture.ts). */
export class QrJobTooComplex extends Error {}

export interface QrJobOptions {
  signal?: AbortSignal | undefined;
  /** How long the search may run once a worker has it; QR_SEARCH_DEADLINE_MS by default. */
  deadlineMs?: number | undefined;
}

export interface QrJobOutcome {
  texts: string[];
  limitReached: boolean;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Pending {
  job: QrJob;
  deadlineMs: number;
  resolve(outcome: QrJobOutcome): void;
  reject(error: Error): void;
  /** Clears the deadline and the abort listener. */
  settle(): void;
  timer?: NodeJS.Timeout;
}

const POOL_SIZE = Math.max(1, Math.min(2, os.availableParallelism() - 1));
/**
 * A worker that searched a picture larger than this is retired afterwards: zxing-cpp's
 * WebAssembly memory grows to fit the largest picture and is never given back.
 */
const RETIRE_AFTER_PIXELS = 16_000_000;

const slots: Slot[] = [];
const queue: Pending[] = [];
const running = new Map<Slot, Pending>();
let nextId = 1;

/**
 * Runs one QR search in a worker (the pixels are copied to it: sharp's buffers cannot be
 * transferred). Rejects with QrJobCancelled, QrJobTimedOut, QrJobTooComplex, or an Error when
 * the worker failed.
 */
export function runQrJob(
  job: Omit<QrJob, 'id'>,
  options: QrJobOptions = {},
): Promise<QrJobOutcome> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new QrJobCancelled('The QR search was cancelled.'));
  return new Promise((resolve, reject) => {
    const onAbort = () => cancel(pending);
    const pending: Pending = {
      job: { ...job, id: nextId++ },
      deadlineMs: options.deadlineMs ?? QR_SEARCH_DEADLINE_MS,
      resolve,
      reject,
      settle: () => {
        clearTimeout(pending.timer);
        signal?.removeEventListener('abort', onAbort);
      },
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    queue.push(pending);
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
    const busy = slot;
    pending.timer = setTimeout(() => {
      stopSlot(busy);
      fail(pending, new QrJobTimedOut('The QR search ran past its deadline.'));
    }, pending.deadlineMs);
    // the worker is ref'd while it searches; the timer need not keep the process alive too
    pending.timer.unref();
    try {
      slot.worker.postMessage(pending.job);
    } catch (error) {
      // pixels that cannot be posted: this job fails, the worker is fine
      running.delete(slot);
      slot.busy = false;
      slot.worker.unref();
      fail(pending, error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function startWorker(): Slot {
  const entry = workerEntry();
  const worker = new Worker(entry.url, { execArgv: entry.execArgv });
  const slot: Slot = { worker, busy: false };
  slots.push(slot);
  worker.on('message', (result: QrJobResult) => {
    const pending = running.get(slot);
    if (!slots.includes(slot) || pending === undefined) return; // stopped: a late answer
    running.delete(slot);
    const { width, height } = pending.job;
    if (!result.ok || width * height > RETIRE_AFTER_PIXELS) stopSlot(slot);
    else {
      slot.busy = false;
      worker.unref();
    }
    pending.settle();
    if (result.ok) pending.resolve({ texts: result.texts, limitReached: result.limitReached });
    else if (result.tooComplex) pending.reject(new QrJobTooComplex('Too complex to search.'));
    else pending.reject(new Error(result.message));
    dispatch();
  });
  const crashed = (error: Error) => {
    if (!slots.includes(slot)) return;
    slots.splice(slots.indexOf(slot), 1);
    const pending = running.get(slot);
    running.delete(slot);
    if (pending !== undefined) fail(pending, error);
    dispatch();
  };
  worker.on('error', crashed);
  worker.on('exit', (code) => crashed(new Error(`The QR worker stopped (exit code ${code}).`)));
  worker.unref();
  return slot;
}

/** Terminates a slot's worker and forgets it; its job (if any) is settled by the caller. */
function stopSlot(slot: Slot): void {
  const index = slots.indexOf(slot);
  if (index >= 0) slots.splice(index, 1);
  running.delete(slot);
  void slot.worker.terminate();
}

function fail(pending: Pending, error: Error): void {
  pending.settle();
  pending.reject(error);
  dispatch();
}

function cancel(pending: Pending): void {
  const queued = queue.indexOf(pending);
  if (queued >= 0) queue.splice(queued, 1);
  for (const [slot, job] of running) if (job === pending) stopSlot(slot);
  fail(pending, new QrJobCancelled('The QR search was cancelled.'));
}

/** The thread ids of the workers now in the pool (tests: a stopped worker is replaced). */
export function qrWorkerThreadIds(): number[] {
  return slots.map((slot) => slot.worker.threadId);
}

/** Stops every worker (tests, and the app on quit); a later job starts fresh ones. */
export async function stopQrWorkers(): Promise<void> {
  const stopping = slots.splice(0, slots.length);
  const waiting = queue.splice(0, queue.length);
  const interrupted = stopping.flatMap((slot) => running.get(slot) ?? []);
  for (const slot of stopping) running.delete(slot);
  await Promise.all(stopping.map((slot) => slot.worker.terminate()));
  for (const pending of [...interrupted, ...waiting]) {
    pending.settle();
    pending.reject(new Error('The QR workers were stopped.'));
  }
}
