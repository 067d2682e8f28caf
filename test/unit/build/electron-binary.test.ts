import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findElectronBinary, platformPath } from '../../../scripts/electron-binary.mjs';

/**
 * Electron 45's npm package no longer downloads its binary during `npm ci`: node_modules/electron
 * then holds no path.txt and no dist/. The real-app suite and `npm start` tell "installed" from
 * "not installed" the way the package's install.js does, from files only, never downloading.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const exe = platformPath();
const scratch: string[] = [];

/** A checkout whose node_modules/electron is in the given state. */
function checkout(state: { pathTxt?: string; version?: string; binary?: boolean } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'chronokey-electron-binary-'));
  scratch.push(dir);
  const electron = path.join(dir, 'node_modules', 'electron');
  mkdirSync(path.join(electron, 'dist', path.dirname(exe)), { recursive: true });
  writeFileSync(path.join(electron, 'package.json'), JSON.stringify({ version: '45.5.0' }));
  if (state.pathTxt !== undefined) writeFileSync(path.join(electron, 'path.txt'), state.pathTxt);
  if (state.version !== undefined)
    writeFileSync(path.join(electron, 'dist', 'version'), state.version);
  if (state.binary) writeFileSync(path.join(electron, 'dist', exe), '');
  return dir;
}

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('findElectronBinary', () => {
  it('after npm ci with Electron 45 (no path.txt, no dist): not installed, and says why', () => {
    const found = findElectronBinary({ root: checkout(), env: {} });
    expect(found).toMatchObject({ installed: false, path: null, problem: 'not-downloaded' });
    if (found.installed) return;
    expect(found.reason).toContain('path.txt is missing');
    expect(found.reason).toContain('the first `electron .` does');
  });

  it('installed only with path.txt, the executable and dist/version matching the package', () => {
    const dir = checkout({ pathTxt: exe, version: 'v45.5.0', binary: true });
    expect(findElectronBinary({ root: dir, env: {} })).toEqual({
      installed: true,
      path: path.join(dir, 'node_modules', 'electron', 'dist', exe),
      version: '45.5.0',
    });
    // path.txt alone (an interrupted download): not installed.
    expect(findElectronBinary({ root: checkout({ pathTxt: exe }), env: {} })).toMatchObject({
      installed: false,
      problem: 'not-downloaded',
    });
    // The executable without dist/version: not installed.
    expect(
      findElectronBinary({ root: checkout({ pathTxt: exe, binary: true }), env: {} }),
    ).toMatchObject({ installed: false, problem: 'not-downloaded' });
    // Another version left in dist/ (package upgraded): not installed.
    const old = findElectronBinary({
      root: checkout({ pathTxt: exe, version: '44.0.0', binary: true }),
      env: {},
    });
    expect(old).toMatchObject({ installed: false, problem: 'other-version' });
    // Installed for another platform (ELECTRON_INSTALL_PLATFORM): not this system's binary.
    const other = exe === 'electron.exe' ? 'electron' : 'electron.exe';
    expect(
      findElectronBinary({
        root: checkout({ pathTxt: other, version: '45.5.0', binary: true }),
        env: {},
      }),
    ).toMatchObject({ installed: false, problem: 'other-platform' });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the package (the executable there, its version)', () => {
    const dir = checkout();
    const own = mkdtempSync(path.join(tmpdir(), 'chronokey-electron-own-'));
    scratch.push(own);
    const env = { ELECTRON_OVERRIDE_DIST_PATH: own };
    expect(findElectronBinary({ root: dir, env })).toMatchObject({
      installed: false,
      problem: 'override',
    });
    mkdirSync(path.join(own, path.dirname(exe)), { recursive: true });
    writeFileSync(path.join(own, exe), '');
    expect(findElectronBinary({ root: dir, env })).toEqual({
      installed: true,
      path: path.join(own, exe),
      version: '45.5.0',
    });
    writeFileSync(path.join(own, 'version'), '46.0.0');
    expect(findElectronBinary({ root: dir, env })).toMatchObject({
      installed: false,
      problem: 'override',
    });
  });

  it('in this checkout: agrees with the files, and checking downloads nothing', () => {
    const electron = path.join(root, 'node_modules', 'electron');
    const before = existsSync(path.join(electron, 'dist'));
    const found = findElectronBinary({ root, env: {} });
    const version = (
      JSON.parse(readFileSync(path.join(electron, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    const installed =
      existsSync(path.join(electron, 'path.txt')) &&
      existsSync(path.join(electron, 'dist', exe)) &&
      existsSync(path.join(electron, 'dist', 'version')) &&
      readFileSync(path.join(electron, 'dist', 'version'), 'utf8')
        .trim()
        .replace(/^v/, '') === version;
    expect(found.installed).toBe(installed);
    expect(existsSync(path.join(electron, 'dist'))).toBe(before);
  });
});
