import { describe, expect, it } from 'vitest';
import { defaultVaultDir } from '../../../main/core/paths';

describe('defaultVaultDir: the desktop app folder, shared with the CLI', () => {
  it('prefers CHRONOKEY_VAULT_DIR everywhere', () => {
    expect(defaultVaultDir('linux', { CHRONOKEY_VAULT_DIR: '/srv/vault' }, '/home/a')).toBe(
      '/srv/vault',
    );
  });
  it('matches Electron userData on Linux (XDG_CONFIG_HOME, else ~/.config)', () => {
    expect(defaultVaultDir('linux', {}, '/home/a')).toBe('/home/a/.config/Chronokey');
    expect(defaultVaultDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/a')).toBe('/cfg/Chronokey');
  });
  it('matches Electron userData on macOS', () => {
    expect(defaultVaultDir('darwin', {}, '/Users/a')).toBe(
      '/Users/a/Library/Application Support/Chronokey',
    );
  });
  it('matches Electron userData on Windows (%APPDATA%)', () => {
    expect(
      defaultVaultDir('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a'),
    ).toBe('C:\\Users\\a\\AppData\\Roaming\\Chronokey');
  });
});
