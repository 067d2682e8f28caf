import { useEffect } from 'react';
import { onAppEvent } from '../../lib/api';

export interface ShortcutCommands {
  focusSearch(): void;
  lock(): void;
  addAccount(): void;
  openSettings(): void;
  /** Ctrl/Cmd+Z outside a text field: bring back the account deleted last. */
  undoDelete(): void;
  /** A printable key typed outside a field goes into the search box. */
  typeIntoSearch(key: string): void;
}

/** The main screen's keyboard shortcuts (the native menu sends the same commands as events). */
export function useShortcuts(commands: ShortcutCommands): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const inDialog = document.querySelector('dialog[open]') !== null;
      const target = event.target as HTMLElement | null;
      const typing =
        target !== null &&
        target.closest('input, textarea, select, [contenteditable="true"]') !== null;
      if (mod && !event.altKey && !event.shiftKey) {
        const key = event.key.toLowerCase();
        if (key === 'f' && !inDialog) {
          event.preventDefault();
          commands.focusSearch();
        } else if (key === 'l') {
          event.preventDefault();
          commands.lock();
        } else if (key === 'n' && !inDialog) {
          event.preventDefault();
          commands.addAccount();
        } else if (key === ',' && !inDialog) {
          event.preventDefault();
          commands.openSettings();
        } else if (key === 'z' && !inDialog && !typing) {
          event.preventDefault();
          commands.undoDelete();
        }
        return;
      }
      if (
        !inDialog &&
        !typing &&
        !event.altKey &&
        !mod &&
        event.key.length === 1 &&
        event.key !== ' ' &&
        document.querySelector('[role="menu"]') === null
      ) {
        event.preventDefault();
        commands.typeIntoSearch(event.key);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    const offs = [
      onAppEvent('onFocusSearch', () => commands.focusSearch()),
      onAppEvent('onAddAccount', () => commands.addAccount()),
      onAppEvent('onOpenSettings', () => commands.openSettings()),
    ];
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      for (const off of offs) off();
    };
  }, [commands]);
}
