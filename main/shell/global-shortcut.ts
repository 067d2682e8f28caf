import type { GlobalShortcut } from 'electron';
import { isGlobalAccelerator } from '../../shared/accelerator';

/**
 * The one system-wide shortcut (Settings → Global shortcut) that shows Chronokey's search.
 * Changing it releases the old one first; a shortcut another app holds is reported as not
 * active rather than failing, so the settings screen can say so.
 */
export function createGlobalShortcut(
  globalShortcut: Pick<GlobalShortcut, 'register' | 'unregister'>,
  onPress: () => void,
) {
  let current: string | null = null;

  function release(): void {
    if (current === null) return;
    globalShortcut.unregister(current);
    current = null;
  }

  return {
    /** Sets the shortcut ('' for none) and returns whether it is now active. */
    set(accelerator: string): boolean {
      if (accelerator === current) return true;
      release();
      if (accelerator === '' || !isGlobalAccelerator(accelerator)) return false;
      let registered: boolean;
      try {
        registered = globalShortcut.register(accelerator, onPress);
      } catch {
        // Electron throws on an accelerator it cannot parse on this system.
        registered = false;
      }
      if (registered) current = accelerator;
      return registered;
    },
    get active(): boolean {
      return current !== null;
    },
    dispose: release,
  };
}
export type AppGlobalShortcut = ReturnType<typeof createGlobalShortcut>;
