import path from 'node:path';

/**
 * The folder the desktop app keeps its data in, the same one Electron's
 * `app.getPath('userData')` gives for the product name "Chronokey", so the CLI and the app
 * share one vault by default. CHRONOKEY_VAULT_DIR overrides it for both.
 */
export function defaultVaultDir(
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  home: string,
): string {
  if (env.CHRONOKEY_VAULT_DIR) return path.resolve(env.CHRONOKEY_VAULT_DIR);
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), 'Chronokey');
  }
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Chronokey');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'Chronokey');
}
