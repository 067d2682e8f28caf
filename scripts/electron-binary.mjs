// Is Electron's binary installed in this checkout? Answered the way the electron package itself
// answers it (node_modules/electron/install.js isInstalled() and index.js getElectronPath()),
// but without their side effect: since Electron 45, `require('electron')` and `electron .`
// DOWNLOAD the binary from GitHub when it is missing, and `npm ci` no longer does. Used by
// `npm start` (scripts/start.mjs) and the real-app suite (test/electron); reads files only.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Where the electron package puts the executable inside its dist folder (install.js). */
export function platformPath(platform = process.platform) {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

const read = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : null);

/**
 * The Electron binary `electron .` would run, or why there is none. Installed means, as in
 * install.js: path.txt names this platform's executable, dist/version is the package's version,
 * and the executable exists. ELECTRON_OVERRIDE_DIST_PATH (an Electron build of your own) is
 * honoured like index.js does: the executable is looked for there, and a `version` file there,
 * if any, must match too.
 *
 * @param {{ root?: string, env?: Record<string, string | undefined>, platform?: string }} [options]
 * @returns {import('./electron-binary.d.mts').ElectronBinary}
 */
export function findElectronBinary(options = {}) {
  const root = options.root ?? process.cwd();
  const env = options.env ?? process.env;
  const dir = path.join(root, 'node_modules', 'electron');
  const packageJson = read(path.join(dir, 'package.json'));
  if (packageJson === null) {
    return missing(
      'package',
      '',
      `the electron package is not installed (${dir} is missing; run npm ci)`,
    );
  }
  const version = String(JSON.parse(packageJson).version);
  const expected = platformPath(options.platform);
  const override = env.ELECTRON_OVERRIDE_DIST_PATH?.trim();
  const pathFile = path.join(dir, 'path.txt');
  const named = read(pathFile);

  if (override) {
    const binary = path.resolve(override, named?.trim() || expected);
    if (!existsSync(binary)) {
      return missing(
        'override',
        version,
        `ELECTRON_OVERRIDE_DIST_PATH is set, but ${binary} does not exist`,
      );
    }
    const built = read(path.join(override, 'version'))?.trim().replace(/^v/, '');
    if (built && built !== version) {
      return missing(
        'override',
        version,
        `ELECTRON_OVERRIDE_DIST_PATH holds Electron ${built}, but package.json wants ${version}`,
      );
    }
    return { installed: true, path: binary, version };
  }

  if (named === null) {
    return missing(
      'not-downloaded',
      version,
      `${path.relative(root, pathFile)} is missing (npm ci does not download it since ` +
        'Electron 45; the first `electron .` does)',
    );
  }
  if (named !== expected) {
    return missing(
      'other-platform',
      version,
      `${path.relative(root, pathFile)} names "${named}", not this system's "${expected}" ` +
        '(installed for another platform)',
    );
  }
  const distVersion = read(path.join(dir, 'dist', 'version'))
    ?.trim()
    .replace(/^v/, '');
  if (distVersion !== version) {
    return missing(
      distVersion ? 'other-version' : 'not-downloaded',
      version,
      distVersion
        ? `node_modules/electron/dist holds Electron ${distVersion}, not ${version}`
        : 'node_modules/electron/dist/version is missing (the download did not finish)',
    );
  }
  const binary = path.join(dir, 'dist', expected);
  if (!existsSync(binary)) {
    return missing('not-downloaded', version, `${path.relative(root, binary)} does not exist`);
  }
  return { installed: true, path: binary, version };
}

function missing(problem, version, why) {
  return {
    installed: false,
    path: null,
    version,
    problem,
    reason: `Electron's binary is not installed: ${why}.`,
  };
}

/** What to do about a missing binary, in one sentence (GitHub is where it comes from). */
export const INSTALL_HINT =
  'Install it with `npx --no install-electron`, which downloads it from GitHub ' +
  '(github.com/electron/electron/releases), so it needs access to GitHub (or a mirror named by ' +
  'ELECTRON_MIRROR); or point ELECTRON_OVERRIDE_DIST_PATH at an Electron build of that version.';
