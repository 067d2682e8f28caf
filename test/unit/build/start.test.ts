import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstErrorLine, installFailureMessage, start } from '../../../scripts/start.mjs';
import { platformPath } from '../../../scripts/electron-binary.mjs';

/**
 * `npm start` (scripts/start.mjs): Electron 45 downloads its binary from GitHub on the first start.
 * Offline, the electron package throws a stack trace that ends in "delete node_modules/electron";
 * npm start says instead, in plain words, what is missing, what to do, and what still works.
 * The installer is replaced here by a script that fails as the real one does offline.
 */
const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fakeCheckout() {
  const dir = mkdtempSync(path.join(tmpdir(), 'chronokey-start-'));
  scratch.push(dir);
  const electron = path.join(dir, 'node_modules', 'electron');
  mkdirSync(electron, { recursive: true });
  writeFileSync(path.join(electron, 'package.json'), JSON.stringify({ version: '45.5.0' }));
  return { dir, electron };
}

describe('npm start', () => {
  it('offline: one plain message, exit 1, and the app is not run', async () => {
    const { dir, electron } = fakeCheckout();
    // What node_modules/electron/install.js prints when github.com cannot be reached.
    const installer = path.join(electron, 'install.js');
    writeFileSync(installer, "console.error('TypeError: fetch failed'); process.exit(1);\n");
    const lines: string[] = [];
    let ran = false;
    const code = await start({
      root: dir,
      env: {},
      installer,
      log: (line: string) => lines.push(line),
      runApp: async () => {
        ran = true;
        return 0;
      },
    });
    expect(code).toBe(1);
    expect(ran).toBe(false);
    const message = lines.join('\n');
    expect(message).toContain(
      "Chronokey cannot start: Electron 45.5.0's binary is not installed, and downloading it " +
        'from GitHub failed (TypeError: fetch failed).',
    );
    expect(message).toContain('needs access to GitHub');
    expect(message).toContain('ELECTRON_MIRROR');
    expect(message).toContain('npm test');
    expect(message).not.toMatch(/^\s+at /m);
  });

  it('runs the installed binary with the checkout, without the installer', async () => {
    const { dir, electron } = fakeCheckout();
    const exe = platformPath();
    writeFileSync(path.join(electron, 'path.txt'), exe);
    mkdirSync(path.join(electron, 'dist', path.dirname(exe)), { recursive: true });
    writeFileSync(path.join(electron, 'dist', 'version'), '45.5.0');
    writeFileSync(path.join(electron, 'dist', exe), '');
    const runs: unknown[] = [];
    const code = await start({
      root: dir,
      env: {},
      args: ['--verbose'],
      installer: path.join(dir, 'no-such-installer.js'),
      log: () => undefined,
      runApp: async (...call: unknown[]) => {
        runs.push(call);
        return 7;
      },
    });
    expect(code).toBe(7);
    expect(runs).toEqual([[path.join(electron, 'dist', exe), ['.', '--verbose'], dir]]);
  });

  it('names what was found when it is not the usual "nothing downloaded yet"', () => {
    const message = installFailureMessage({
      version: '45.5.0',
      problem: 'other-version',
      reason:
        "Electron's binary is not installed: node_modules/electron/dist holds Electron 44.0.0, not 45.5.0.",
      output:
        'Downloading Electron binary...\nRequestError: getaddrinfo ENOTFOUND github.com\n    at x (y.js:1:1)\n',
    });
    expect(message).toContain('(RequestError: getaddrinfo ENOTFOUND github.com)');
    expect(message).toContain('holds Electron 44.0.0');
    expect(firstErrorLine('\n    at a (b:1:1)\n')).toBeNull();
  });
});
