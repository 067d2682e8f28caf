import type { Settings } from '../../../shared/domain';

const STORAGE_KEY = 'chronokey.theme';

/**
 * Applies the theme setting to <html data-theme>. "system" follows prefers-color-scheme in
 * CSS. The choice (never anything secret) is remembered so the lock screen matches it.
 */
export function applyTheme(theme: Settings['theme']): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage can be unavailable (private profiles); the theme still applies for this session.
  }
}

export function applyRememberedTheme(): void {
  let theme: string | null;
  try {
    theme = localStorage.getItem(STORAGE_KEY);
  } catch {
    theme = null;
  }
  if (theme === 'light' || theme === 'dark' || theme === 'system') applyTheme(theme);
}
