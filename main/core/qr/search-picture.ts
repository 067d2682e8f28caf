import type { FoundCode, GreyImage } from './find-qr-codes';
import { findQrCodes, inReadingOrder } from './find-qr-codes';
import { MAX_CODES_PER_PICTURE, MIN_CODE_SIDE } from './limits';
import type { QrPixels } from './qr-job';
import { toGrey, toHalfGrey } from './qr-job';
import type { ZxingRead } from './zxing-reader';

/** What one picture's search found. */
export type PictureSearch =
  | { kind: 'read'; texts: string[]; limitReached: boolean }
  /** A search bound was hit before any code was read: the picture is refused, not "no code". */
  | { kind: 'too-complex' };

/** zxing-cpp finding this many codes means a sheet of codes, where it may miss some. */
const MANY_CODES = 8;
/** Pictures with a longer side than this (4K and up) are read at half size first. */
const HALF_SIZE_FROM = 3000;

/**
 * Every QR code's text in a picture, each once, in reading order.
 *
 * zxing-cpp reads first: on screenshots it is 3–4 times faster than jsQR and reads dark-mode,
 * blurred, rotated and JPEG-damaged codes as well. A 4K picture is read at half size first
 * (a quarter of the pixels; its codes still have 2 px per module or more when they had 4 on
 * the full picture), and at full size only when that finds nothing.
 *
 * The finder-pattern search with jsQR (find-qr-codes.ts) then looks at full size for the rest
 * when zxing-cpp found nothing (it misses codes under 2 px per module) or many codes (packed
 * edge to edge on a sheet, zxing-cpp pairs finder patterns of neighbouring codes and misses
 * most of them), skipping the codes already read. At most `limit` codes are kept.
 */
export function searchPicture(
  pixels: QrPixels,
  zxing: ZxingRead,
  limit = MAX_CODES_PER_PICTURE,
): PictureSearch {
  const { width, height } = pixels;
  if (Math.min(width, height) < MIN_CODE_SIDE) {
    return { kind: 'read', texts: [], limitReached: false };
  }
  let full: GreyImage | undefined;
  const fullGrey = () => (full ??= { width, height, grey: toGrey(pixels) });
  let first: FoundCode[] = [];
  if (Math.max(width, height) > HALF_SIZE_FROM) first = scaled(zxing(toHalfGrey(pixels)), 2);
  if (first.length === 0) first = zxing(fullGrey());
  let codes = first;
  let bounded = false;
  if (first.length === 0 || first.length >= MANY_CODES) {
    const rest = findQrCodes(fullGrey(), { known: first, limit: limit + 1 - first.length });
    codes = [...first, ...rest.codes];
    bounded = rest.bounded;
  }
  const texts = uniqueTexts(inReadingOrder(codes));
  if (texts.length === 0 && bounded) return { kind: 'too-complex' };
  const limitReached = bounded || texts.length > limit;
  return { kind: 'read', texts: texts.slice(0, limit), limitReached };
}

/** Codes found on a copy `by` times smaller, in the full picture's pixels. */
function scaled(codes: FoundCode[], by: number): FoundCode[] {
  return codes.map(({ text, corners }) => ({
    text,
    corners: corners.map(({ x, y }) => ({ x: x * by, y: y * by })),
  }));
}

function uniqueTexts(codes: FoundCode[]): string[] {
  return [...new Set(codes.map((code) => code.text).filter((text) => text !== ''))];
}
