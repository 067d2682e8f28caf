/** Messages between worker-pool.ts and qr-worker.ts. */
export type QrJob = {
  id: number;
  width: number;
  height: number;
  /** Interleaved 8-bit samples per pixel: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  pixels: Uint8Array;
  /** 'flatten': transparent pixels show white (image files); 'ignore': alpha is meaningless (captures). */
  alpha: 'flatten' | 'ignore';
};

export type QrJobResult =
  | { id: number; ok: true; texts: string[]; limitReached: boolean }
  /** A search bound was hit before any code was read (search-picture.ts). */
  | { id: number; ok: false; tooComplex: true }
  | { id: number; ok: false; tooComplex?: false; message: string };

/** A picture's pixels as the worker receives them. */
export type QrPixels = Omit<QrJob, 'id'>;

/**
 * Pixels to grey with Rec. 709 luma in integer arithmetic (as jsQR weighs channels). Done here in
 * the worker: it is several times faster than asking sharp for greyscale (which converts through
 * a linear colour space).
 */
export function toGrey(job: QrPixels): Uint8Array {
  checkSize(job);
  const { width, height, channels, pixels } = job;
  if (channels === 1) return pixels;
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) greyRow(job, y, grey.subarray(y * width, (y + 1) * width));
  return grey;
}

/**
 * Grey at half the width and height (each pixel the mean of 2×2), made straight from the
 * pixels: a 4K picture is searched first at this size, and its full-size grey is only made
 * when that finds nothing.
 */
export function toHalfGrey(job: QrPixels): { width: number; height: number; grey: Uint8Array } {
  checkSize(job);
  const width = job.width >> 1;
  const height = job.height >> 1;
  const grey = new Uint8Array(width * height);
  const upper = new Uint8Array(job.width);
  const lower = new Uint8Array(job.width);
  for (let y = 0; y < height; y++) {
    greyRow(job, 2 * y, upper);
    greyRow(job, 2 * y + 1, lower);
    const row = y * width;
    for (let x = 0, i = 0; x < width; x++, i += 2) {
      grey[row + x] = (upper[i]! + upper[i + 1]! + lower[i]! + lower[i + 1]! + 2) >> 2;
    }
  }
  return { width, height, grey };
}

function checkSize({ width, height, channels, pixels }: QrPixels): void {
  if (pixels.length !== width * height * channels) {
    throw new Error(
      `${pixels.length} bytes do not make ${width}×${height} pixels of ${channels} channels`,
    );
  }
}

/**
 * One row's grey into `out`. One loop per layout: a per-pixel branch on the layout made the
 * conversion several times slower.
 */
function greyRow(job: QrPixels, y: number, out: Uint8Array): void {
  const { width, channels, pixels } = job;
  const flatten = job.alpha === 'flatten';
  let j = y * width * channels;
  if (channels === 1) {
    out.set(pixels.subarray(j, j + width));
  } else if (channels === 2 && flatten) {
    for (let i = 0; i < width; i++, j += 2) out[i] = over(pixels[j]!, pixels[j + 1]!);
  } else if (channels === 2) {
    for (let i = 0; i < width; i++, j += 2) out[i] = pixels[j]!;
  } else if (channels === 3) {
    for (let i = 0; i < width; i++, j += 3) {
      out[i] = (54 * pixels[j]! + 183 * pixels[j + 1]! + 19 * pixels[j + 2]! + 128) >> 8;
    }
  } else if (!flatten) {
    for (let i = 0; i < width; i++, j += 4) {
      out[i] = (54 * pixels[j]! + 183 * pixels[j + 1]! + 19 * pixels[j + 2]! + 128) >> 8;
    }
  } else {
    for (let i = 0; i < width; i++, j += 4) {
      const luma = (54 * pixels[j]! + 183 * pixels[j + 1]! + 19 * pixels[j + 2]! + 128) >> 8;
      out[i] = over(luma, pixels[j + 3]!);
    }
  }
}

/** A grey value with this alpha over white. */
function over(value: number, alpha: number): number {
  return (value * alpha + 255 * (255 - alpha) + 127) / 255;
}
