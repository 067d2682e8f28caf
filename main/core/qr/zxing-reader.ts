/// <reference types="emscripten" />
// (zxing-wasm's module type extends the global EmscriptenModule of @types/emscripten.)
import type { ZXingReaderOptions } from 'zxing-wasm/reader';
import {
  BINARIZERS,
  CHARACTER_SETS,
  EAN_ADD_ON_SYMBOLS,
  TEXT_MODES,
  prepareZXingModule,
} from 'zxing-wasm/reader';
import type { FoundCode, GreyImage } from './find-qr-codes';

/** Reads every QR code zxing-cpp finds in a grey image (at most 255: zxing-cpp's own cap). */
export type ZxingRead = (image: GreyImage) => FoundCode[];

/** zxing-cpp reports at most this many symbols per call (its option is a byte). */
export const ZXING_MAX_SYMBOLS = 255;

/**
 * zxing-cpp's reader options in the form its WebAssembly binding takes (enums as indexes into
 * zxing-wasm's own lists). As zxing-wasm's readBarcodes does by default (tryHarder, tryInvert
 * for dark-mode codes), except tryDownscale: its extra passes over smaller copies cost 30% more
 * time and read no more of the corpus's screenshots (test/fixtures/qr/make-corpus.ts). Text as
 * decoded, without the human-readable decorations of other symbologies.
 */
const READER_OPTIONS: ZXingReaderOptions = {
  formats: 'QRCode',
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  tryDownscale: false,
  tryDenoise: false,
  binarizer: BINARIZERS.indexOf('LocalAverage'),
  isPure: false,
  downscaleFactor: 3,
  downscaleThreshold: 500,
  minLineCount: 2,
  maxNumberOfSymbols: ZXING_MAX_SYMBOLS,
  validateOptionalChecksum: false,
  returnErrors: false,
  eanAddOnSymbol: EAN_ADD_ON_SYMBOLS.indexOf('Ignore'),
  textMode: TEXT_MODES.indexOf('Plain'),
  characterSet: CHARACTER_SETS.indexOf('Unknown'),
  tryCode39ExtendedMode: false,
};

/**
 * Instantiates zxing-cpp's reader from its WebAssembly bytes (given, never fetched) and returns
 * a reader of grey pixels. The pixels go to zxing-cpp as they are (one byte per pixel): its
 * ImageData path would take RGBA and convert it again.
 */
export async function createZxingReader(wasm: Uint8Array): Promise<ZxingRead> {
  const zxing = await prepareZXingModule({
    overrides: { wasmBinary: wasm.slice().buffer },
    fireImmediately: true,
  });
  return ({ width, height, grey }) => {
    const pointer = zxing._malloc(grey.length);
    if (!pointer) throw new Error(`zxing-cpp could not allocate ${grey.length} bytes`);
    try {
      zxing.HEAPU8.set(grey, pointer);
      const results = zxing.readBarcodesFromPixmap(pointer, width, height, READER_OPTIONS);
      try {
        const found: FoundCode[] = [];
        for (let i = 0; i < results.size(); i++) {
          const result = results.get(i);
          if (result === undefined || !result.isValid) continue;
          const { topLeft, topRight, bottomRight, bottomLeft } = result.position;
          found.push({ text: result.text, corners: [topLeft, topRight, bottomRight, bottomLeft] });
        }
        return found;
      } finally {
        results.delete();
      }
    } finally {
      zxing._free(pointer);
    }
  };
}
