import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { DEFAULT_SETTINGS, Settings } from '../../shared/domain';

/**
 * The few settings the app needs before the vault is unlocked (the window's screen-capture
 * protection, the global shortcut), mirrored in plain JSON beside the vault. They are not
 * secret; the vault's own copy stays the one the user edits.
 */
export const PREFERENCES_FILE = 'preferences.json';

export const AppPreferences = Settings.pick({ contentProtection: true, globalShortcut: true });
export type AppPreferences = z.infer<typeof AppPreferences>;

export const DEFAULT_PREFERENCES: AppPreferences = {
  contentProtection: DEFAULT_SETTINGS.contentProtection,
  globalShortcut: DEFAULT_SETTINGS.globalShortcut,
};

/** The saved preferences, or the defaults when the file is missing or not ours. */
export function loadPreferences(file: string): AppPreferences {
  try {
    const parsed = AppPreferences.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : { ...DEFAULT_PREFERENCES };
  } catch {
    return { ...DEFAULT_PREFERENCES };
  }
}

/** Saves the preferences (temp file and rename, so a crash never leaves half a file). */
export function savePreferences(file: string, preferences: AppPreferences): void {
  const data = `${JSON.stringify(AppPreferences.parse(preferences), null, 2)}\n`;
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data, { mode: 0o600 });
  renameSync(temp, file);
}
