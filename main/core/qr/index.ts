/**
 * QR codes in images and on screen: decode an image file or a captured display and return the
 * text of every QR code in it. The search runs in a worker thread (worker-pool.ts): zxing-cpp
 * first, then the finder-pattern search with jsQR (search-picture.ts).
 *
 * Every message names the picture once, in quotes, as the import pipeline's own messages do.
 */
import { ChronokeyError } from '../../../shared/errors';
import { decodeImage } from './decode-image';
import { MAX_IMAGE_PIXELS } from './limits';
import type { QrJobOptions } from './worker-pool';
import { QrJobCancelled, QrJobTimedOut, QrJobTooComplex, runQrJob } from './worker-pool';

export type { CapturedDisplay, ScreenCapturePort } from './screen-capture-port';
export { MAX_CODES_PER_PICTURE, MAX_IMAGE_PIXELS, QR_SEARCH_DEADLINE_MS } from './limits';
export { stopQrWorkers } from './worker-pool';

export interface QrReadOptions {
  /** Aborting rejects with IMPORT_CANCELLED and stops the search (its worker is terminated). */
  signal?: AbortSignal | undefined;
  /** The search's deadline in ms (QR_SEARCH_DEADLINE_MS by default); tests pass a small one. */
  deadlineMs?: number | undefined;
}

/** Every code read from one picture, and whether reading stopped at a bound. */
export interface QrRead {
  /** Each text once, in reading order (top to bottom, then left to right). */
  texts: string[];
  /**
   * True when the picture may hold more codes than `texts`: MAX_CODES_PER_PICTURE were read,
   * or the search's bounds on candidates were reached after some codes were read.
   */
  limitReached: boolean;
}

/**
 * Every QR code in an image file, each once, in reading order; `texts` is [] when it holds
 * none. Throws ChronokeyError IMAGE_TOO_LARGE (over 50 megapixels, refused from the header),
 * IMAGE_CORRUPT (not an image, damaged, cut short), IMAGE_TOO_COMPLEX (past the deadline or
 * the search's bounds with no code read), IMPORT_CANCELLED or QR_SEARCH_FAILED, naming the file.
 */
export async function readQrCodes(
  input: { name: string; bytes: Uint8Array },
  options: QrReadOptions = {},
): Promise<QrRead> {
  return inImageSlot(options.signal, async () => {
    const image = await decodeImage(input);
    if (image === 'too-narrow') return { texts: [], limitReached: false };
    return search(
      input.name,
      { ...image, pixels: shared(image.pixels), alpha: 'flatten' },
      options,
    );
  });
}

/** The texts of readQrCodes, for callers that do not report `limitReached`. */
export async function decodeQrCodes(
  input: { name: string; bytes: Uint8Array },
  options: QrReadOptions = {},
): Promise<string[]> {
  return (await readQrCodes(input, options)).texts;
}

/** readQrCodes for raw RGBA pixels (a captured display). */
export async function readQrCodesFromRgba(
  image: { width: number; height: number; rgba: Uint8Array; name?: string },
  options: QrReadOptions = {},
): Promise<QrRead> {
  const name = image.name ?? 'The captured display';
  const { width, height, rgba } = image;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width <= 0 ||
    height <= 0 ||
    rgba.length !== width * height * 4
  ) {
    throw new ChronokeyError(
      'IMAGE_CORRUPT',
      `"${name}": the picture's size (${width}×${height}) does not match its ${rgba.length} bytes of pixels, so it cannot be read.`,
    );
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ChronokeyError(
      'IMAGE_TOO_LARGE',
      `"${name}": the picture is ${width}×${height} pixels; Chronokey reads pictures up to 50 megapixels.`,
    );
  }
  // The display's alpha carries nothing (some platforms leave it 0): read the colours only.
  return search(
    name,
    { width, height, channels: 4, pixels: shared(rgba), alpha: 'ignore' },
    options,
  );
}

/** The texts of readQrCodesFromRgba. */
export async function decodeQrCodesFromRgba(
  image: { width: number; height: number; rgba: Uint8Array; name?: string },
  options: QrReadOptions = {},
): Promise<string[]> {
  return (await readQrCodesFromRgba(image, options)).texts;
}

/**
 * At most this many image files are decoded and searched at once: a decoded 4K picture takes
 * 25–33 MB, so a hundred files opened together must not all be decoded before the first search.
 */
const IMAGE_SLOTS = 3;
let imagesInFlight = 0;
const waitingForSlot: Array<() => void> = [];

async function inImageSlot<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (signal?.aborted) throw cancelled();
  // a finishing search hands its slot straight to the next waiting one
  if (imagesInFlight < IMAGE_SLOTS) imagesInFlight++;
  else await waitForSlot(signal);
  try {
    if (signal?.aborted) throw cancelled();
    return await work();
  } finally {
    const next = waitingForSlot.shift();
    if (next !== undefined) next();
    else imagesInFlight--;
  }
}

/** Resolves when a slot is handed over; a cancelled wait leaves the queue at once. */
function waitForSlot(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const handOver = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      waitingForSlot.splice(waitingForSlot.indexOf(handOver), 1);
      reject(cancelled());
    };
    waitingForSlot.push(handOver);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The pixels in shared memory, so posting them to the worker copies nothing: one memcpy here is
 * 3–6 times faster than the structured clone of a plain buffer (10 ms against 28–73 ms for 4K).
 */
function shared(pixels: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new SharedArrayBuffer(pixels.length));
  copy.set(pixels);
  return copy;
}

async function search(
  name: string,
  job: Parameters<typeof runQrJob>[0],
  options: QrJobOptions,
): Promise<QrRead> {
  try {
    return await runQrJob(job, options);
  } catch (error) {
    throw explain(name, error);
  }
}

function explain(name: string, error: unknown): ChronokeyError {
  if (error instanceof QrJobCancelled) return cancelled();
  if (error instanceof QrJobTimedOut || error instanceof QrJobTooComplex) {
    return new ChronokeyError(
      'IMAGE_TOO_COMPLEX',
      `"${name}": this picture has too much detail to search for QR codes in time. Crop it to the QR code and try again.`,
      { cause: error },
    );
  }
  return new ChronokeyError(
    'QR_SEARCH_FAILED',
    `"${name}": Chronokey could not search the picture for QR codes (${error instanceof Error ? error.message : String(error)}). Try again; if it keeps failing, report it.`,
    { cause: error },
  );
}

function cancelled(): ChronokeyError {
  return new ChronokeyError('IMPORT_CANCELLED', 'The import was cancelled.');
}
