import sharp from 'sharp';
import type { Metadata } from 'sharp';
import { ChronokeyError } from '../../../shared/errors';
/** Decoded pixels, interleaved: 1 grey, 2 grey+alpha, 3 RGB or 4 RGBA samples per pixel. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  pixels: Uint8Array;
}

/** Images larger than this are refused before their pixels are decoded (a 50-megapixel bound). */
export const MAX_IMAGE_PIXELS = 50_000_000;

// Decoded screenshots may show secrets: keep no copies in libvips' operation cache.
sharp.cache(false);

/**
 * Decodes an image file (PNG, JPEG, WebP, GIF, TIFF, AVIF: whatever sharp reads) to raw pixels. Reads the header first and refuses images over
 * MAX_IMAGE_PIXELS without decoding them; a damaged, cut-short or unknown file is IMAGE_CORRUPT.
 */
export async function decodeImage(input: {
  name: string;
  bytes: Uint8Array;
}): Promise<DecodedImage> {
  let metadata: Metadata;
  try {
    metadata = await sharp(input.bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ChronokeyError(
      'IMAGE_CORRUPT',
      `${input.name}: this is not an image Chronokey can read (PNG, JPEG, WebP, GIF or TIFF). Check that the file is a picture of the QR code.`,
      { cause: error },
    );
  }
  const width = metadata.width ?? 0;
  const height = metadata.pageHeight ?? metadata.height ?? 0;
  if (width <= 0 || height <= 0) throw damaged(input.name);
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new ChronokeyError(
      'IMAGE_TOO_LARGE',
      `${input.name}: the image is ${width}×${height} pixels (${((width * height) / 1e6).toFixed(0)} megapixels); Chronokey reads images up to 50 megapixels. Crop or scale it down to the QR code and try again.`,
    );
  }
  try {
    // Raw samples as decoded (grey, RGB, with or without alpha): the worker makes them grey.
    const { data, info } = await sharp(input.bytes, {
      limitInputPixels: MAX_IMAGE_PIXELS,
      failOn: 'truncated',
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

function damaged(name: string, cause?: unknown): ChronokeyError {
  return new ChronokeyError(
    'IMAGE_CORRUPT',
    `${name}: the image is damaged or cut short, so it cannot be read. Save or copy the picture again and retry.`,
    { cause },
  );
}
