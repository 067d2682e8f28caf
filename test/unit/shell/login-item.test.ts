import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { autostartEntry, createLoginItem, quoteExec } from '../../../main/shell/login-item';

const dir = mkdtempSync(path.join(tmpdir(), 'chronokey-login-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('launch at login', () => {
  it('uses Electron’s login item on macOS and Windows', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const app = { setLoginItemSettings: vi.fn() };
      const item = createLoginItem({ platform, app, env: {}, execPath: '/x' });
      expect(item.supported).toBe(true);
      item.set(true);
      item.set(false);
      expect(app.setLoginItemSettings.mock.calls).toEqual([
        [{ openAtLogin: true }],
        [{ openAtLogin: false }],
      ]);
    }
  });

  it('writes and removes a freedesktop autostart entry on Linux, for the AppImage if any', () => {
    const app = { setLoginItemSettings: vi.fn() };
    const item = createLoginItem({
      platform: 'linux',
      app,
      env: {
        XDG_CONFIG_HOME: path.join(dir, 'config'),
        APPIMAGE: '/home/me/Apps/Chronokey.AppImage',
      },
      execPath: '/tmp/.mount_Chrono/chronokey',
    });
    item.set(true);
    const file = path.join(dir, 'config', 'autostart', 'chronokey.desktop');
    expect(item.autostartFile).toBe(file);
    const entry = readFileSync(file, 'utf8');
    expect(entry).toContain('Exec="/home/me/Apps/Chronokey.AppImage"');
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
    item.set(false);
    expect(existsSync(file)).toBe(false);
    item.set(false);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('quotes the executable as the desktop entry spec asks', () => {
    expect(quoteExec('/opt/My "Apps"/$x`y\\z')).toBe('"/opt/My \\"Apps\\"/\\$x\\`y\\\\z"');
    expect(autostartEntry('/usr/bin/chronokey')).toContain('Exec="/usr/bin/chronokey"\n');
  });

  it('is not offered where there is no way to do it', () => {
    const item = createLoginItem({
      platform: 'freebsd',
      app: { setLoginItemSettings: vi.fn() },
      env: {},
      execPath: '/x',
    });
    expect(item.supported).toBe(false);
  });
});
