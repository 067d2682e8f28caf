import jsQR from 'jsqr';
import type { CodeCandidate } from './finder-patterns';
import { binarise, findFinderPatterns, groupCandidates } from './finder-patterns';
import { MAX_CODES_PER_PICTURE } from './limits';

/**
 * The finder-pattern search, the second reader after zxing-cpp (search-picture.ts), for what
 * zxing-cpp leaves: codes of under 2 px per module (a scaled-down screenshot) and sheets of
 * many codes packed together. A fast finder-pattern detector (finder-patterns.ts) proposes
 * each likely code (three corner patterns, either polarity); each is cropped and given to jsQR
 * alone, which reads one code per call and is slow on whole pictures (about 430 ms for a 4K
 * screenshot) but takes a few ms on a crop. Crops of codes under 2 px per module are enlarged
 * for jsQR; the crop of a light-on-dark (dark-mode) code is inverted before jsQR reads it.
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
  /** Corners in pixels: top-left, top-right, bottom-right, bottom-left. */
  corners: Array<{ x: number; y: number }>;
}

export interface CodeSearch {
  /** The codes read, in the order found. */
  codes: FoundCode[];
  /** True when a bound (patterns, triples, crops or `limit`) cut the search short. */
  bounded: boolean;
}

/** Crops read with jsQR beyond one per code wanted: failed proposals are cheap but not free. */
const SPARE_CROPS = 48;
/**
 * Above this many pixels every other row is scanned: a finder pattern's centre is 3 modules
 * tall, so codes of 2 px modules still give it 3 rows.
 */
const EVERY_ROW_UP_TO_PIXELS = 4_000_000;

/** Codes not in `known` (codes another reader found already), at most `limit` of them. */
export function findQrCodes(
  image: GreyImage,
  options: { known?: readonly FoundCode[]; limit?: number } = {},
): CodeSearch {
  const known = options.known ?? [];
  const limit = Math.min(options.limit ?? MAX_CODES_PER_PICTURE, MAX_CODES_PER_PICTURE + 1);
  const found: FoundCode[] = [];
  const maxCrops = limit + SPARE_CROPS;
  let crops = 0;
  const binary = binarise(image);
  const rowStep = image.width * image.height > EVERY_ROW_UP_TO_PIXELS ? 2 : 1;
  const patterns = findFinderPatterns(binary, rowStep);
  const grouping = groupCandidates(patterns.patterns, binary);
  let bounded = patterns.bounded || grouping.bounded;
  for (const candidate of grouping.candidates) {
    if (found.length >= limit || crops >= maxCrops) {
      bounded = true;
      break;
    }
    const { corner, a, b } = candidate;
    // a triple with a pattern of a code already read is that code, or a wrong pairing with it
    // (on a sheet, jsQR may read a neighbour from a wrong triple's crop)
    const read = (code: FoundCode) => [corner, a, b].some((p) => inside(code.corners, p));
    if (known.some(read) || found.some(read)) continue;
    crops++;
    const code = readCandidate(image, candidate, 8) ?? readCandidate(image, candidate, 5);
    if (code !== null) found.push(code);
  }
  return { codes: found, bounded };
}

/**
 * jsQR on a crop around a candidate, `margin` modules beyond its finder patterns' centres (8:
 * the code and its quiet zone; 5, the retry: a code packed among others, whose neighbours'
 * finder patterns at the edges of the wider crop can mislead jsQR's own locator).
 */
function readCandidate(
  image: GreyImage,
  candidate: CodeCandidate,
  margin: number,
): FoundCode | null {
  const { corner, a, b, module } = candidate;
  const fourth = { x: a.x + b.x - corner.x, y: a.y + b.y - corner.y };
  const xs = [corner.x, a.x, b.x, fourth.x];
  const ys = [corner.y, a.y, b.y, fourth.y];
  const box = clip(image, {
    left: Math.min(...xs) - margin * module,
    top: Math.min(...ys) - margin * module,
    right: Math.max(...xs) + margin * module,
    bottom: Math.max(...ys) + margin * module,
  });
  if (box === null) return null;
  // jsQR needs about 2 px per module: enlarge crops of finer codes (a scaled-down screenshot)
  const enlarge = module < 2 ? 2 : 1;
  const code = readCrop(image, box, candidate.inverted, enlarge);
  if (code === null || code.text === '') return null;
  return {
    text: code.text,
    corners: code.corners.map(({ x, y }) => ({
      x: x / enlarge + box.left,
      y: y / enlarge + box.top,
    })),
  };
}

/** Reading order, top to bottom then left to right, whichever reader found each code. */
export function inReadingOrder(codes: FoundCode[]): FoundCode[] {
  return [...codes].sort((p, q) => rowOf(p) - rowOf(q) || p.corners[0]!.x - q.corners[0]!.x);
}

/** The top-left corner's row, in 32-pixel bands so that codes side by side sort left to right. */
function rowOf(code: FoundCode): number {
  return Math.floor(Math.min(...code.corners.map((corner) => corner.y)) / 32);
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

/** True when a pattern lies within a found code's corners. */
function inside(corners: FoundCode['corners'], { x, y }: { x: number; y: number }): boolean {
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
