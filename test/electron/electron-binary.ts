import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type ElectronBinary = { path: string; reason: null } | { path: null; reason: string };

/**
 * Finds the Electron binary the way the electron package does, without its side effect:
 * `require('electron')` downloads the binary when it is missing, and here that must never
 * happen. Honours ELECTRON_OVERRIDE_DIST_PATH like the package.
 */
export function findElectronBinary(root = process.cwd()): ElectronBinary {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (!name && !override) {
    return {
      path: null,
      reason:
        `Electron binary not installed (${pathFile} is missing: npm ci ran with ` +
        'ELECTRON_SKIP_BINARY_DOWNLOAD=1). The Electron suite runs where the binary exists; ' +
        'install it with `npx install-electron` to run it here.',
    };
  }
  const binary = path.resolve(override ?? path.join(dir, 'dist'), name || 'electron');
  if (!existsSync(binary)) {
    return { path: null, reason: `Electron binary not installed: ${binary} does not exist.` };
  }
  return { path: binary, reason: null };
}
