/** Messages between worker-pool.ts and qr-worker.ts. */
export type QrJob = {
  id: number;
  width: number;
  height: number;
  /** 'grey': one byte per pixel; 'rgba': four. */
  kind: 'grey' | 'rgba';
  pixels: Uint8Array;
};

export type QrJobResult =
  { id: number; ok: true; texts: string[] } | { id: number; ok: false; message: string };

/** Rec. 709 luma in integer arithmetic (as jsQR weighs channels), ignoring alpha. */
export function rgbaToGrey(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const grey = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
    grey[i] = (54 * rgba[j]! + 183 * rgba[j + 1]! + 19 * rgba[j + 2]! + 128) >> 8;
  }
  return grey;
}
