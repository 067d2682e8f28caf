import type { Clipboard } from 'electron';
import type { ClipboardPort } from '../core/ports';

export interface AppClipboard extends ClipboardPort {
  /** Clears the system clipboard if it still holds the last code we put there (on quit). */
  clearIfOurs(): Promise<void>;
}

/**
 * The core's clipboard port over Electron's (asynchronous) clipboard. It also remembers the
 * last code it wrote, so that quitting can clear a code that would otherwise outlive the app,
 * and never text the user copied since.
 */
export function createClipboardAdapter(
  clipboard: Pick<Clipboard, 'readText' | 'writeText' | 'clear'>,
): AppClipboard {
  let ours: string | null = null;
  return {
    readText: () => clipboard.readText(),
    async writeText(text) {
      ours = null;
      await clipboard.writeText(text);
      ours = text;
    },
    async clear() {
      clipboard.clear();
      ours = null;
    },
    async clearIfOurs() {
      const expected = ours;
      ours = null;
      if (expected !== null && (await clipboard.readText()) === expected) clipboard.clear();
    },
  };
}
