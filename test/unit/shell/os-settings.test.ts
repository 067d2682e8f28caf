import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/domain';
import { createGlobalShortcut } from '../../../main/shell/global-shortcut';
import { createOsSettings } from '../../../main/shell/os-settings';

const dir = mkdtempSync(path.join(tmpdir(), 'chronokey-os-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(platform: NodeJS.Platform, file = path.join(dir, `${Math.random()}.json`)) {
  const window = { isDestroyed: () => false, setContentProtection: vi.fn() };
  const globalShortcut = { register: vi.fn(() => true), unregister: vi.fn() };
  const loginItem = { supported: true, autostartFile: '', set: vi.fn() };
  const settings = createOsSettings({
    platform,
    preferencesFile: file,
    shortcut: createGlobalShortcut(globalShortcut, vi.fn()),
    loginItem,
    window: () => window,
  });
  return { settings, window, globalShortcut, loginItem, file };
}

describe('OS settings', () => {
  it('protects the window from capture and registers the shortcut by default, before unlock', () => {
    const { settings, window, globalShortcut } = setup('darwin');
    settings.start();
    expect(window.setContentProtection).toHaveBeenLastCalledWith(true);
    expect(globalShortcut.register).toHaveBeenCalledWith('CmdOrCtrl+Shift+K', expect.any(Function));
    expect(settings.info()).toMatchObject({
      platform: 'darwin',
      contentProtectionSupported: true,
      globalShortcutActive: true,
    });
    expect(setup('linux').settings.info().contentProtectionSupported).toBe(false);
  });

  it('applies the vault’s settings and mirrors what is needed before the next unlock', () => {
    const first = setup('win32');
    first.settings.start();
    first.settings.apply({
      ...DEFAULT_SETTINGS,
      contentProtection: false,
      globalShortcut: '',
      launchAtLogin: true,
    });
    expect(first.window.setContentProtection).toHaveBeenLastCalledWith(false);
    expect(first.globalShortcut.unregister).toHaveBeenCalledWith('CmdOrCtrl+Shift+K');
    expect(first.loginItem.set).toHaveBeenLastCalledWith(true);
    expect(JSON.parse(readFileSync(first.file, 'utf8'))).toEqual({
      contentProtection: false,
      globalShortcut: '',
    });

    // The next start, still locked, follows the saved preferences.
    const next = setup('win32', first.file);
    next.settings.start();
    expect(next.window.setContentProtection).toHaveBeenLastCalledWith(false);
    expect(next.globalShortcut.register).not.toHaveBeenCalled();
  });

  it('falls back to the defaults when preferences.json is damaged', () => {
    const file = path.join(dir, 'damaged.json');
    writeFileSync(file, '{"contentProtection": "yes"');
    const { settings } = setup('darwin', file);
    expect(settings.preferences).toEqual({
      contentProtection: true,
      globalShortcut: 'CmdOrCtrl+Shift+K',
    });
  });

  it('lets a dialog ask for protection for a while, never dropping below the setting', () => {
    const { settings, window } = setup('darwin');
    settings.apply({ ...DEFAULT_SETTINGS, contentProtection: false });
    expect(settings.setTemporaryProtection(true)).toBe(true);
    expect(window.setContentProtection).toHaveBeenLastCalledWith(true);
    expect(settings.setTemporaryProtection(false)).toBe(false);
    settings.apply({ ...DEFAULT_SETTINGS, contentProtection: true });
    expect(settings.setTemporaryProtection(false)).toBe(true);
    expect(window.setContentProtection).toHaveBeenLastCalledWith(true);
  });
});
