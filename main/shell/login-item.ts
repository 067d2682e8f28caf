import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from 'electron';

/**
 * Launch at login. macOS and Windows: Electron's login item settings. Linux: the freedesktop
 * autostart entry (~/.config/autostart/chronokey.desktop), which Electron does not manage.
 */
export const AUTOSTART_FILE = 'chronokey.desktop';

/** Quotes a path for a desktop file's Exec key (freedesktop Desktop Entry spec). */
export function quoteExec(file: string): string {
  return `"${file.replace(/[\\"`$]/g, (char) => `\\${char}`)}"`;
}

export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Chronokey',
    'Comment=Two-factor codes on your desktop',
    `Exec=${quoteExec(executable)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export interface LoginItemOptions {
  platform: NodeJS.Platform;
  app: Pick<App, 'setLoginItemSettings'>;
  env: Record<string, string | undefined>;
  execPath: string;
  homedir?: string;
}

export function createLoginItem(options: LoginItemOptions) {
  const { platform, app, env } = options;
  const supported = platform === 'darwin' || platform === 'win32' || platform === 'linux';
  const autostartDir = path.join(
    env.XDG_CONFIG_HOME || path.join(options.homedir ?? os.homedir(), '.config'),
    'autostart',
  );
  return {
    supported,
    autostartFile: path.join(autostartDir, AUTOSTART_FILE),
    set(enabled: boolean): void {
      if (platform === 'darwin' || platform === 'win32') {
        app.setLoginItemSettings({ openAtLogin: enabled });
        return;
      }
      if (platform !== 'linux') return;
      const file = path.join(autostartDir, AUTOSTART_FILE);
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      // An AppImage runs from a temporary mount: start the AppImage file itself.
      mkdirSync(autostartDir, { recursive: true });
      writeFileSync(file, autostartEntry(env.APPIMAGE || options.execPath), { mode: 0o644 });
    },
  };
}
export type LoginItem = ReturnType<typeof createLoginItem>;
