import type { SystemInfo } from '../../shared/contract';
import type { Settings } from '../../shared/domain';
import type { AppPreferences } from '../core/app-preferences';
import { loadPreferences, savePreferences } from '../core/app-preferences';
import type { AppGlobalShortcut } from './global-shortcut';
import type { LoginItem } from './login-item';

/** What applying settings needs of a window. */
export interface ProtectableWindow {
  isDestroyed(): boolean;
  setContentProtection(enabled: boolean): void;
}

export interface OsSettingsDeps {
  platform: NodeJS.Platform;
  preferencesFile: string;
  shortcut: AppGlobalShortcut;
  loginItem: LoginItem;
  window: () => ProtectableWindow | null;
  onError?: (error: unknown) => void;
}

/** macOS and Windows can keep a window out of screenshots and screen sharing. */
export const contentProtectionSupported = (platform: NodeJS.Platform) =>
  platform === 'darwin' || platform === 'win32';

/**
 * The settings that reach beyond the window: launch at login, the global shortcut and
 * screen-capture protection. Before the vault is unlocked they come from preferences.json
 * (the vault's last copy, or the defaults: protection on, Ctrl/⌘+Shift+K); once unlocked,
 * from the vault, and the file follows any change.
 */
export function createOsSettings(deps: OsSettingsDeps) {
  let preferences: AppPreferences = loadPreferences(deps.preferencesFile);
  let temporaryProtection = false;
  const report = (error: unknown) => deps.onError?.(error);

  function protect(window: ProtectableWindow | null): void {
    if (!window || window.isDestroyed()) return;
    window.setContentProtection(preferences.contentProtection || temporaryProtection);
  }

  return {
    /** Applies the saved preferences: call once the app is ready. */
    start(): void {
      deps.shortcut.set(preferences.globalShortcut);
      protect(deps.window());
    },
    /** A new window starts protected as the preferences say. */
    attachWindow(window: ProtectableWindow): void {
      protect(window);
    },
    /** Applies the vault's settings (after unlock and each change) and mirrors them. */
    apply(settings: Settings): void {
      const next: AppPreferences = {
        contentProtection: settings.contentProtection,
        globalShortcut: settings.globalShortcut,
      };
      if (
        next.contentProtection !== preferences.contentProtection ||
        next.globalShortcut !== preferences.globalShortcut
      ) {
        preferences = next;
        try {
          savePreferences(deps.preferencesFile, next);
        } catch (error) {
          report(error);
        }
      }
      deps.shortcut.set(next.globalShortcut);
      protect(deps.window());
      try {
        deps.loginItem.set(settings.launchAtLogin);
      } catch (error) {
        report(error);
      }
    },
    /**
     * Protection asked for a moment (e.g. while secrets show as QR codes), whatever the
     * setting; turning it off again falls back to the setting, never below it.
     */
    setTemporaryProtection(enabled: boolean): boolean {
      temporaryProtection = enabled;
      protect(deps.window());
      return preferences.contentProtection || temporaryProtection;
    },
    get preferences(): AppPreferences {
      return { ...preferences };
    },
    info(): SystemInfo {
      const { platform } = deps;
      return {
        platform:
          platform === 'darwin' || platform === 'win32' || platform === 'linux'
            ? platform
            : 'other',
        contentProtectionSupported: contentProtectionSupported(platform),
        launchAtLoginSupported: deps.loginItem.supported,
        globalShortcutActive: deps.shortcut.active,
      };
    },
  };
}
export type OsSettings = ReturnType<typeof createOsSettings>;
