import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Installers cannot be built on this machine, so this reads electron-builder.yml and checks
 * every packaging promise of the release (targets, signing switches, fuses, native modules,
 * the otpauth:// registration) and that electron-builder itself accepts the file.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
// js-yaml comes with electron-builder; it has no type declarations of its own here.
const yaml = require('js-yaml') as { load(text: string): unknown };

type Target = string | { target: string; arch?: string[] };
interface BuilderConfig {
  appId: string;
  asar?: boolean;
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource?: boolean;
  electronFuses: Record<string, boolean>;
  protocols: { name: string; schemes: string[] }[];
  linux: { target: Target[]; executableName: string; icon: string };
  deb: { depends: string[] };
  mac: {
    target: Target[];
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
    notarize: boolean;
    icon: string;
  };
  win: { target: Target[]; icon: string };
  nsis: { include: string; oneClick: boolean };
  publish: { provider: string; releaseType: string };
}

function readConfig(): BuilderConfig {
  return yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

const targetNames = (targets: Target[]) =>
  targets.map((target) => (typeof target === 'string' ? target : target.target));
const archsOf = (targets: Target[], name: string) => {
  const found = targets.find((target) => typeof target !== 'string' && target.target === name);
  return typeof found === 'object' ? (found.arch ?? []) : [];
};

describe('electron-builder.yml', () => {
  const config = readConfig();

  it('is accepted by electron-builder’s own configuration schema', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration: (config: unknown, logger: object) => Promise<void>;
    };
    const logger = { isEnabled: false, add: () => undefined };
    await expect(validateConfiguration(config, logger)).resolves.toBeUndefined();
    // The check has teeth: a misspelt option is refused.
    await expect(
      validateConfiguration({ ...config, mac: { ...config.mac, hardenedRuntim: true } }, logger),
    ).rejects.toThrow(/configuration\.mac/);
  });

  it('builds AppImage, deb and rpm on Linux, with libsecret for the keychain', () => {
    expect(targetNames(config.linux.target)).toEqual(
      expect.arrayContaining(['AppImage', 'deb', 'rpm']),
    );
    expect(config.deb.depends).toContain('libsecret-1-0');
    expect(config.linux.executableName).toBe('chronokey');
  });

  it('builds a dmg and a zip for both x64 and arm64 Macs, hardened and notarisable', () => {
    expect(targetNames(config.mac.target)).toEqual(expect.arrayContaining(['dmg', 'zip']));
    for (const target of ['dmg', 'zip']) {
      expect(archsOf(config.mac.target, target)).toEqual(expect.arrayContaining(['x64', 'arm64']));
    }
    expect(config.mac.hardenedRuntime).toBe(true);
    // electron-builder notarises only when APPLE_ID / APPLE_APP_SPECIFIC_PASSWORD /
    // APPLE_TEAM_ID (or an API key) are in the environment, and signs only with CSC_LINK.
    expect(config.mac.notarize).toBe(true);
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const plist = readFileSync(path.join(root, file), 'utf8');
      expect(plist).toContain('<key>com.apple.security.cs.allow-jit</key>');
      // Nothing that weakens the hardened runtime beyond what V8 needs.
      expect(plist).not.toContain('disable-library-validation');
      expect(plist).not.toContain('com.apple.security.get-task-allow');
      expect(plist).not.toContain('allow-dyld-environment-variables');
    }
  });

  it('builds an NSIS installer and a portable exe for Windows', () => {
    expect(targetNames(config.win.target)).toEqual(expect.arrayContaining(['nsis', 'portable']));
    expect(config.nsis.oneClick).toBe(false);
  });

  it('sets every required Electron fuse', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // ASAR integrity and only-from-ASAR mean nothing without an ASAR.
    expect(config.asar).not.toBe(false);
  });

  it('unpacks keytar from the ASAR and rebuilds native modules for Electron', () => {
    expect(config.asarUnpack).toContain('**/node_modules/keytar/**');
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).not.toBe(true);
    const keytar = require('keytar/package.json') as { name: string };
    expect(keytar.name).toBe('keytar');
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // Only production dependencies are packed and rebuilt.
    expect(Object.keys(pkg.dependencies)).toContain('keytar');
  });

  it('ships the built app and never source maps', () => {
    expect(config.files).toEqual(
      expect.arrayContaining(['dist/**/*', 'package.json', '!**/*.map']),
    );
  });

  it('registers otpauth:// on every system', () => {
    expect(config.protocols.flatMap((protocol) => protocol.schemes)).toContain('otpauth');
    // Windows: the installer writes the URL protocol keys, and removes them only if still ours.
    const nsh = readFileSync(path.join(root, config.nsis.include), 'utf8');
    expect(nsh).toContain('!macro customInstall');
    expect(nsh).toMatch(/WriteRegStr SHELL_CONTEXT "Software\\Classes\\otpauth" "URL Protocol" ""/);
    expect(nsh).toMatch(
      /shell\\open\\command" "" '"\$INSTDIR\\\$\{APP_EXECUTABLE_FILENAME\}" "%1"'/,
    );
    expect(nsh).toContain('!macro customUnInstall');
    expect(nsh).toContain('DeleteRegKey SHELL_CONTEXT "Software\\Classes\\otpauth"');
  });

  it('gives the Linux desktop file the otpauth scheme handler', () => {
    // electron-builder's Linux helper turns each protocol scheme into x-scheme-handler/<scheme>.
    const helper = readFileSync(
      require.resolve('app-builder-lib/out/targets/LinuxTargetHelper.js'),
      'utf8',
    );
    expect(helper).toContain('x-scheme-handler/${scheme}');
    expect(helper).toContain('packager.config.protocols');
  });

  it('points every platform at icons that exist', () => {
    expect(existsSync(path.join(root, config.mac.icon))).toBe(true);
    expect(existsSync(path.join(root, config.win.icon))).toBe(true);
    expect(existsSync(path.join(root, config.linux.icon, '512x512.png'))).toBe(true);
  });

  it('publishes to a draft GitHub release', () => {
    expect(config.publish).toMatchObject({ provider: 'github', releaseType: 'draft' });
  });
});
