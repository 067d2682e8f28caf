import sharp from 'sharp';
import type { Metadata } from 'sharp';
import { ChronokeyError } from '../../../shared/errors';
import { MAX_IMAGE_PIXELS, MIN_CODE_SIDE } from './limits';

/** Decoded pixels, interleaved: 1 grey, 2 grey+alpha, 3 RGB or 4 RGBA samples per pixel. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  pixels: Uint8Array;
}

// Decoded screenshots may show secrets: keep no copies in libvips' operation cache.
sharp.cache(false);

/**
 * Decodes an image file (PNG, JPEG, WebP, GIF, TIFF, AVIF: whatever sharp reads) to raw pixels.
 * Reads the header first: refuses images over MAX_IMAGE_PIXELS without decoding them, and
 * answers 'too-narrow' for a picture narrower than the smallest QR code (MIN_CODE_SIDE). A
 * damaged, cut-short or unknown file is IMAGE_CORRUPT. Messages name the file once, in quotes.
 */
export async function decodeImage(input: {
  name: string;
  bytes: Uint8Array;
}): Promise<DecodedImage | 'too-narrow'> {
  let metadata: Metadata;
  try {
    metadata = await sharp(input.bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ChronokeyError(
      'IMAGE_CORRUPT',
      `"${input.name}": this is not an image Chronokey can read (PNG, JPEG, WebP, GIF or TIFF). Check that the file is a picture of the QR code.`,
      { cause: error },
    );
  }
  const width = metadata.width ?? 0;
  const height = metadata.pageHeight ?? metadata.height ?? 0;
  if (width <= 0 || height <= 0) throw damaged(input.name);
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ChronokeyError(
      'IMAGE_TOO_LARGE',
      `"${input.name}": the image is ${width}×${height} pixels (${((width * height) / 1e6).toFixed(0)} megapixels); Chronokey reads images up to 50 megapixels. Crop or scale it down to the QR code and try again.`,
    );
  }
  // Not decoded at all: no code fits, and a 1×50,000,000 strip takes libpng 30 s, row by row.
  if (Math.min(width, height) < MIN_CODE_SIDE) return 'too-narrow';
  // libjpeg only warns when a JPEG's data ends early and fills the rest with grey, so a short
  // header claiming 7000×7000 would decode "fine"; a file too small to hold its pixels is
  // decoded strictly instead, where any warning means the file is damaged.
  const strict = input.bytes.length < fewestBytes(metadata, width, height);
  try {
    // Raw samples as decoded (grey, RGB, with or without alpha): the worker makes them grey.
    const { data, info } = await sharp(input.bytes, {
      limitInputPixels: MAX_IMAGE_PIXELS,
      failOn: strict ? 'warning' : 'truncated',
      sequentialRead: true,
    })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const channels = info.channels;
    if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
      throw new Error(`unexpected ${channels} channels`);
    }
    return {
      width: info.width,
      height: info.height,
      channels,
      pixels: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (error) {
    throw damaged(input.name, error);
  }
}

/**
 * The fewest bytes an undamaged file of this size can have. JPEG with Huffman coding spends at
 * least one bit on every 8×8 block (its DC coefficient); PNG's deflate packs at most 1,032 bytes
 * into one, and a row holds at least one bit per pixel. (Arithmetic-coded JPEGs can be smaller:
 * they are only decoded strictly, not refused.) Other formats: no floor.
 */
function fewestBytes(metadata: Metadata, width: number, height: number): number {
  if (metadata.format === 'jpeg') return (Math.ceil(width / 8) * Math.ceil(height / 8)) / 8;
  if (metadata.format === 'png') return (Math.ceil(width / 8) * height) / 1032;
  return 0;
}

function damaged(name: string, cause?: unknown): ChronokeyError {
  return new ChronokeyError(
    'IMAGE_CORRUPT',
    `"${name}": the image is damaged or cut short, so it cannot be read. Save or copy the picture again and retry.`,
    { cause },
  );
}
