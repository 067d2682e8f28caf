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
  { id: number; ok: true; texts: string[] } | { id: number; ok: false; message: string };

/**
 * Pixels to grey with Rec. 709 luma in integer arithmetic (as jsQR weighs channels). Done here in
 * the worker: it is several times faster than asking sharp for greyscale (which converts through
 * a linear colour space).
 */
export function toGrey(job: Omit<QrJob, 'id'>): Uint8Array {
  const { width, height, channels, pixels } = job;
  if (pixels.length !== width * height * channels) {
    throw new Error(
      `${pixels.length} bytes do not make ${width}×${height} pixels of ${channels} channels`,
    );
  }
  if (channels === 1) return pixels;
  const flatten = job.alpha === 'flatten' && (channels === 2 || channels === 4);
  const grey = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < grey.length; i++, j += channels) {
    let value =
      channels < 3
        ? pixels[j]!
        : (54 * pixels[j]! + 183 * pixels[j + 1]! + 19 * pixels[j + 2]! + 128) >> 8;
    if (flatten) {
      const alpha = pixels[j + channels - 1]!;
      value = (value * alpha + 255 * (255 - alpha) + 127) / 255;
    }
    grey[i] = value;
  }
  return grey;
}
