import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRAY_COLOUR, TRAY_TEMPLATE } from '../../../main/shell/tray-icon-images';

/** Every icon comes from build/icon.svg through scripts/make-icons.mjs (`npm run icons`). */
const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file));

interface Manifest {
  source: string;
  sourceSha256: string;
  files: { file: string; size?: number }[];
}
const manifest = JSON.parse(read('build/icons/manifest.json').toString('utf8')) as Manifest;

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('icons', () => {
  it('were generated from the current build/icon.svg (run `npm run icons` after editing it)', () => {
    const hash = createHash('sha256').update(read(manifest.source).toString('utf8')).digest('hex');
    expect(manifest.sourceSha256).toBe(hash);
  });

  it('has every PNG at the size the manifest and its name say', () => {
    const pngs = manifest.files.filter((entry) => entry.file.endsWith('.png'));
    expect(pngs.length).toBeGreaterThanOrEqual(10);
    for (const { file, size } of pngs) {
      expect(pngSize(read(file)), file).toEqual({ width: size, height: size });
      const named = /(\d+)x(\d+)\.png$/.exec(file);
      if (named) expect(Number(named[1])).toBe(size);
    }
  });

  it('covers the Linux sizes, a 1024 px master, macOS .icns and Windows .ico', () => {
    const files = manifest.files.map((entry) => entry.file);
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(files).toContain(`build/icons/${size}x${size}.png`);
    }
    expect(pngSize(read('build/icon.png'))).toEqual({ width: 1024, height: 1024 });

    const icns = read('build/icon.icns');
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    // ic10 is the 1024 px (512@2x) image macOS uses on Retina displays.
    expect(icns.includes(Buffer.from('ic10'))).toBe(true);

    const ico = read('build/icon.ico');
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + i * 16) || 256);
    expect(widths).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });

  it('bundles 1x and 2x tray images for the macOS menu bar and other trays', () => {
    for (const [image, size] of [
      [TRAY_TEMPLATE.x1, 16],
      [TRAY_TEMPLATE.x2, 32],
      [TRAY_COLOUR.x1, 16],
      [TRAY_COLOUR.x2, 32],
    ] as const) {
      expect(image.startsWith('data:image/png;base64,')).toBe(true);
      const bytes = Buffer.from(image.slice('data:image/png;base64,'.length), 'base64');
      expect(pngSize(bytes)).toEqual({ width: size, height: size });
    }
  });
});
