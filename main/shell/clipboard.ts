import type { Clipboard } from 'electron';
import type { ClipboardPort } from '../core/ports';

export interface AppClipboard extends ClipboardPort {
  /** Clears the system clipboard if it still holds the last code we put there (on quit). */
  clearIfOurs(): Promise<void>;
}

/**
 * The core's clipboard port over Electron's clipboard.
 *
 * Electron 45's clipboard reads and writes asynchronously, while the core's port is
 * synchronous: the core writes a code, and after the delay clears it "if `readText()` still
 * returns that code". So this adapter answers `readText()` with the code it last wrote (or ''
 * once that is gone), and `clear()` only clears after reading the real clipboard and finding
 * that same code there: text the user copied since is never wiped. The core's own rule is kept
 * whole, only checked where the truth is. (If the core's port becomes asynchronous, this turns
 * into plain pass-through.)
 */
export function createClipboardAdapter(
  clipboard: Pick<Clipboard, 'readText' | 'writeText' | 'clear'>,
  onError: (error: unknown) => void = () => {},
): AppClipboard {
  let ours: string | null = null;
  let writing: Promise<void> = Promise.resolve();

  async function clearIfStillHolds(expected: string): Promise<void> {
    await writing;
    if ((await clipboard.readText()) === expected) clipboard.clear();
    if (ours === expected) ours = null;
  }

  return {
    readText: () => ours ?? '',
    writeText(text) {
      ours = text;
      writing = clipboard.writeText(text).catch((error: unknown) => {
        if (ours === text) ours = null;
        onError(error);
      });
    },
    clear() {
      if (ours === null) return;
      clearIfStillHolds(ours).catch(onError);
    },
    async clearIfOurs() {
      if (ours === null) return;
      await clearIfStillHolds(ours).catch(onError);
    },
  };
}
