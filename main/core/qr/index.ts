/**
 * QR codes in images and on screen: decode an image file or a captured display and return the
 * text of every QR code in it. The search runs in a worker thread (worker-pool.ts).
 */
import { ChronokeyError } from '../../../shared/errors';
import { MAX_IMAGE_PIXELS, decodeImage } from './decode-image';
import { runQrJob } from './worker-pool';

export type { CapturedDisplay, ScreenCapturePort } from './screen-capture-port';
export { MAX_IMAGE_PIXELS } from './decode-image';
export { stopQrWorkers } from './worker-pool';

/**
 * The texts of every QR code in an image file, each once, in reading order (top to bottom);
 * [] when it holds none. Throws IMAGE_TOO_LARGE (over 50 megapixels, refused before decoding)
 * or IMAGE_CORRUPT (not an image, damaged, cut short), naming the file.
 */
export async function decodeQrCodes(input: { name: string; bytes: Uint8Array }): Promise<string[]> {
  return inImageSlot(async () => {
    const image = await decodeImage(input);
    return unique(await searchOrExplain(input.name, { ...image, alpha: 'flatten' }));
  });
}

/**
 * At most this many image files are decoded and searched at once: a decoded 4K picture takes
 * 25–33 MB, so a hundred files opened together must not all be decoded before the first search.
 */
const IMAGE_SLOTS = 3;
let imagesInFlight = 0;
const waitingForSlot: Array<() => void> = [];

async function inImageSlot<T>(work: () => Promise<T>): Promise<T> {
  // a finishing search hands its slot straight to the next waiting one
  if (imagesInFlight < IMAGE_SLOTS) imagesInFlight++;
  else await new Promise<void>((resolve) => waitingForSlot.push(resolve));
  try {
    return await work();
  } finally {
    const next = waitingForSlot.shift();
    if (next !== undefined) next();
    else imagesInFlight--;
  }
}

/** The same for raw RGBA pixels (a captured display). */
export async function decodeQrCodesFromRgba(image: {
  width: number;
  height: number;
  rgba: Uint8Array;
  name?: string;
}): Promise<string[]> {
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
      `${name}: the picture's size (${width}×${height}) does not match its ${rgba.length} bytes of pixels, so it cannot be read.`,
    );
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ChronokeyError(
      'IMAGE_TOO_LARGE',
      `${name}: the picture is ${width}×${height} pixels; Chronokey reads pictures up to 50 megapixels.`,
    );
  }
  // The display's alpha carries nothing (some platforms leave it 0): read the colours only.
  return unique(
    await searchOrExplain(name, { width, height, channels: 4, pixels: rgba, alpha: 'ignore' }),
  );
}

async function searchOrExplain(
  name: string,
  job: Parameters<typeof runQrJob>[0],
): Promise<string[]> {
  try {
    return await runQrJob(job);
  } catch (error) {
    throw new ChronokeyError(
      'QR_SEARCH_FAILED',
      `${name}: Chronokey could not search the picture for QR codes (${error instanceof Error ? error.message : String(error)}). Try again; if it keeps failing, report it.`,
      { cause: error },
    );
  }
}

function unique(texts: string[]): string[] {
  return [...new Set(texts)];
}
