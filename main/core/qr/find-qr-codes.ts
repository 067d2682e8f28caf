import jsQR from 'jsqr';
import type { FinderPattern } from './finder-patterns';
import { binarise, findFinderPatterns, groupCandidates } from './finder-patterns';

/**
 * Finds every QR code in a grey image with jsQR, fast. jsQR's cost grows with the pixel count
 * (about 430 ms for a 4K screenshot in one pass) and it reads at most one code per pass, so:
 *
 * 1. The search runs first on a downscaled copy (box filter, long side at most ~1400 px),
 *    where a screenshot's codes are still several pixels per module.
 * 2. A fast finder-pattern detector (finder-patterns.ts) proposes each likely code (three
 *    corner patterns, either polarity); each is cropped, from full resolution when its modules
 *    are small, and given to jsQR alone: several codes per picture, a few ms each.
 * 3. The detector then runs at full resolution too (about 45 ms for 4K), skipping codes already
 *    read, for small codes (2–3 px modules) that do not survive the downscale.
 * 4. Last resort, when no proposal decoded: jsQR's own whole-image pass, with each code found
 *    painted over in its quiet-zone colour and the image searched again.
 *
 * Dark-mode (light-on-dark) codes: the detector sees both polarities, and the crop of a
 * light-on-dark code is inverted before jsQR reads it, so no crop is read twice. Only the
 * last-resort pass asks jsQR for both ('attemptBoth': it binarises once and looks at the
 * inverted bits only when the normal ones hold no code).
 *
 * Synchronous and CPU-bound: runs inside the QR worker, never on the main thread.
 */

export interface GreyImage {
  width: number;
  height: number;
  /** One byte of luminance per pixel, row by row. */
  grey: Uint8Array;
}

export interface FoundCode {
  text: string;
  /** Corners in full-resolution pixels: top-left, top-right, bottom-right, bottom-left. */
  corners: Array<{ x: number; y: number }>;
}

/** The downscaled first pass aims at this long side. */
export const FIRST_PASS_LONG_SIDE = 1400;
/** Images hold few codes; this bounds the work on a pathological one. */
const MAX_CODES_PER_IMAGE = 32;
const MAX_CROPS_PER_LEVEL = 48;
/** Below this many pixels per module at the downscaled level, crops come from full resolution. */
const MIN_CROP_MODULE = 3;

export function findQrCodes(image: GreyImage): FoundCode[] {
  const factor = Math.max(1, Math.ceil(Math.max(image.width, image.height) / FIRST_PASS_LONG_SIDE));
  const small = factor > 1 ? downscale(image, factor) : image;
  const found = searchCandidates(small, factor, image, []);
  // at full resolution after the downscaled pass, every other row is enough for small codes
  if (factor > 1) found.push(...searchCandidates(image, 1, image, found, 2));
  // reading order, top to bottom then left to right, so results do not depend on the pass
  if (found.length > 0)
    return found.sort((p, q) => rowOf(p) - rowOf(q) || p.corners[0]!.x - q.corners[0]!.x);
  return searchWholeImage({ ...small, grey: Uint8Array.from(small.grey) }, factor);
}

/** The top-left corner's row, in 32-pixel bands so that codes side by side sort left to right. */
function rowOf(code: FoundCode): number {
  return Math.floor(Math.min(...code.corners.map((corner) => corner.y)) / 32);
}

/** Crops around each likely code the finder-pattern detector proposes, read by jsQR alone. */
function searchCandidates(
  level: GreyImage,
  factor: number,
  full: GreyImage,
  known: FoundCode[],
  rowStep = 1,
): FoundCode[] {
  const found: FoundCode[] = [];
  const used = new Set<FinderPattern>();
  let crops = 0;
  const binary = binarise(level);
  const patterns = findFinderPatterns(binary, rowStep);
  for (const candidate of groupCandidates(patterns, binary)) {
    if (found.length >= MAX_CODES_PER_IMAGE || crops >= MAX_CROPS_PER_LEVEL) break;
    const { corner, a, b } = candidate;
    if (used.has(corner) || used.has(a) || used.has(b)) continue;
    if ([...known, ...found].some((code) => inside(code.corners, corner, factor))) continue;
    crops++;
    const fromFull = factor > 1 && candidate.module < MIN_CROP_MODULE;
    const source = fromFull ? full : level;
    const scale = fromFull ? factor : 1;
    const margin = candidate.module * 8;
    const fourth = { x: a.x + b.x - corner.x, y: a.y + b.y - corner.y };
    const xs = [corner.x, a.x, b.x, fourth.x];
    const ys = [corner.y, a.y, b.y, fourth.y];
    const box = clip(source, {
      left: (Math.min(...xs) - margin) * scale,
      top: (Math.min(...ys) - margin) * scale,
      right: (Math.max(...xs) + margin) * scale,
      bottom: (Math.max(...ys) + margin) * scale,
    });
    if (box === null) continue;
    // jsQR needs about 2 px per module: enlarge crops of finer codes (a scaled-down screenshot)
    const enlarge = candidate.module * scale < 2 ? 2 : 1;
    const code = readCrop(source, box, candidate.inverted, enlarge);
    if (code === null) continue;
    used.add(corner).add(a).add(b);
    const toFull = fromFull ? 1 : factor;
    found.push({
      text: code.text,
      corners: code.corners.map(({ x, y }) => ({
        x: (x / enlarge + box.left) * toFull,
        y: (y / enlarge + box.top) * toFull,
      })),
    });
  }
  return found.filter((code) => code.text !== '');
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function clip(image: GreyImage, box: Box): Box | null {
  const left = Math.max(0, Math.floor(box.left));
  const top = Math.max(0, Math.floor(box.top));
  const right = Math.min(image.width, Math.ceil(box.right));
  const bottom = Math.min(image.height, Math.ceil(box.bottom));
  return right - left >= 21 && bottom - top >= 21 ? { left, top, right, bottom } : null;
}

function readCrop(
  image: GreyImage,
  box: Box,
  inverted: boolean,
  enlarge: number,
): FoundCode | null {
  const width = (box.right - box.left) * enlarge;
  const height = (box.bottom - box.top) * enlarge;
  const rgba = new Uint8ClampedArray(width * height * 4);
  if (enlarge === 1) {
    for (let y = 0; y < height; y++) {
      const source = (box.top + y) * image.width + box.left;
      fillRgba(image.grey.subarray(source, source + width), rgba.subarray(y * width * 4), inverted);
    }
  } else {
    fillRgba(enlarged(image, box, enlarge), rgba, inverted);
  }
  // jsQR 1.4's 'onlyInvert' never computes the inverted bits, so invert here and read as is.
  const code = jsQR(rgba, width, height, { inversionAttempts: 'dontInvert' });
  if (code === null) return null;
  const { location } = code;
  return {
    text: code.data,
    corners: [
      location.topLeftCorner,
      location.topRightCorner,
      location.bottomRightCorner,
      location.bottomLeftCorner,
    ],
  };
}

/** A crop enlarged by bilinear interpolation (smooth edges binarise better than blocky ones). */
function enlarged(image: GreyImage, box: Box, by: number): Uint8Array {
  const width = (box.right - box.left) * by;
  const height = (box.bottom - box.top) * by;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.max(0, box.top + (y + 0.5) / by - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(image.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, box.left + (x + 0.5) / by - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(image.width - 1, x0 + 1);
      const fx = sx - x0;
      const row0 = y0 * image.width;
      const row1 = y1 * image.width;
      const top = image.grey[row0 + x0]! * (1 - fx) + image.grey[row0 + x1]! * fx;
      const bottom = image.grey[row1 + x0]! * (1 - fx) + image.grey[row1 + x1]! * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** True when a pattern (at a level scaled by `factor`) lies within a found code's corners. */
function inside(
  corners: FoundCode['corners'],
  point: { x: number; y: number },
  factor: number,
): boolean {
  const x = point.x * factor;
  const y = point.y * factor;
  let sign = 0;
  for (let i = 0; i < corners.length; i++) {
    const p = corners[i]!;
    const q = corners[(i + 1) % corners.length]!;
    const cross = Math.sign((q.x - p.x) * (y - p.y) - (q.y - p.y) * (x - p.x));
    if (cross === 0) continue;
    if (sign === 0) sign = cross;
    else if (cross !== sign) return false;
  }
  return true;
}

/** jsQR on the whole image, masking each code found, until a pass finds nothing. */
export function searchWholeImage(level: GreyImage, factor: number): FoundCode[] {
  const found: FoundCode[] = [];
  const rgba = new Uint8ClampedArray(level.width * level.height * 4);
  while (found.length < MAX_CODES_PER_IMAGE) {
    fillRgba(level.grey, rgba);
    const code = jsQR(rgba, level.width, level.height, { inversionAttempts: 'attemptBoth' });
    if (code === null) break;
    const { location } = code;
    const corners = [
      location.topLeftCorner,
      location.topRightCorner,
      location.bottomRightCorner,
      location.bottomLeftCorner,
    ];
    const modules = 17 + 4 * code.version;
    if (!maskCode(level, corners, modules)) break; // cannot paint it over: stop, never loop
    if (code.data !== '') {
      found.push({
        text: code.data,
        corners: corners.map(({ x, y }) => ({ x: x * factor, y: y * factor })),
      });
    }
  }
  return found;
}

/** Grey to jsQR's RGBA; jsQR reads red, green and blue, so all three carry the luminance. */
function fillRgba(grey: Uint8Array, rgba: Uint8ClampedArray, inverted = false): void {
  const flip = inverted ? 255 : 0;
  for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
    const value = flip ^ grey[i]!;
    rgba[j] = value;
    rgba[j + 1] = value;
    rgba[j + 2] = value;
    rgba[j + 3] = 255;
  }
}

/** Averages factor×factor blocks: a box filter keeps thin modules as grey, not aliasing. */
export function downscale(image: GreyImage, factor: number): GreyImage {
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const grey = new Uint8Array(width * height);
  const sums = new Uint32Array(width);
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let dy = 0; dy < factor; dy++) {
      let source = (y * factor + dy) * image.width;
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let dx = 0; dx < factor; dx++) sum += image.grey[source++]!;
        sums[x]! += sum;
      }
    }
    const row = y * width;
    for (let x = 0; x < width; x++) grey[row + x] = (sums[x]! + (area >> 1)) / area;
  }
  return { width, height, grey };
}

/**
 * Paints a found code over with the colour of its quiet zone, so the next pass looks past it.
 * The painted area reaches 1.5 modules beyond the code's corners (covering blur and rotation);
 * the colour is the mean of a ring 3 modules out, inside the 4-module quiet zone. This works for
 * dark-on-light and light-on-dark codes alike. Returns false if the area is degenerate.
 */
function maskCode(
  level: GreyImage,
  corners: Array<{ x: number; y: number }>,
  modules: number,
): boolean {
  const cx = corners.reduce((sum, p) => sum + p.x, 0) / 4;
  const cy = corners.reduce((sum, p) => sum + p.y, 0) / 4;
  const side = Math.hypot(corners[1]!.x - corners[0]!.x, corners[1]!.y - corners[0]!.y);
  if (!Number.isFinite(side) || side < 1) return false;
  const moduleSize = side / modules;
  const grow = (by: number) =>
    corners.map(({ x, y }) => {
      const distance = Math.hypot(x - cx, y - cy) || 1;
      const scale = (distance + by * moduleSize * Math.SQRT2) / distance;
      return { x: cx + (x - cx) * scale, y: cy + (y - cy) * scale };
    });
  const fill = ringMean(level, grow(3));
  fillQuad(level, grow(1.5), fill);
  return true;
}

/** Mean luminance along the edges of a quadrilateral (clipped to the image). */
function ringMean(level: GreyImage, quad: Array<{ x: number; y: number }>): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < 4; i++) {
    const a = quad[i]!;
    const b = quad[(i + 1) % 4]!;
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y)));
    for (let s = 0; s < steps; s++) {
      const x = Math.round(a.x + ((b.x - a.x) * s) / steps);
      const y = Math.round(a.y + ((b.y - a.y) * s) / steps);
      if (x < 0 || y < 0 || x >= level.width || y >= level.height) continue;
      sum += level.grey[y * level.width + x]!;
      count++;
    }
  }
  return count === 0 ? 255 : Math.round(sum / count);
}

/** Fills a convex quadrilateral, row by row between its edges. */
function fillQuad(level: GreyImage, quad: Array<{ x: number; y: number }>, value: number): void {
  const top = Math.max(0, Math.floor(Math.min(...quad.map((p) => p.y))));
  const bottom = Math.min(level.height - 1, Math.ceil(Math.max(...quad.map((p) => p.y))));
  for (let y = top; y <= bottom; y++) {
    let left = Infinity;
    let right = -Infinity;
    for (let i = 0; i < 4; i++) {
      const a = quad[i]!;
      const b = quad[(i + 1) % 4]!;
      if ((a.y <= y && b.y >= y) || (b.y <= y && a.y >= y)) {
        const x = a.y === b.y ? Math.min(a.x, b.x) : a.x + ((y - a.y) * (b.x - a.x)) / (b.y - a.y);
        const x2 = a.y === b.y ? Math.max(a.x, b.x) : x;
        left = Math.min(left, x);
        right = Math.max(right, x2);
      }
    }
    if (left > right) continue;
    const from = Math.max(0, Math.floor(left));
    const to = Math.min(level.width - 1, Math.ceil(right));
    if (from <= to) level.grey.fill(value, y * level.width + from, y * level.width + to + 1);
  }
}
