import type { RefObject } from 'react';
import {
  AppMark,
  BackupGlyph,
  GearGlyph,
  ImportGlyph,
  LockGlyph,
  PlusGlyph,
  SearchGlyph,
} from '../../components/glyphs';

interface ToolbarProps {
  search: RefObject<HTMLInputElement | null>;
  query: string;
  onQuery: (query: string) => void;
  /** Enter or ↓ in the search box: go to the first row (Enter also copies it). */
  onSearchEnter: (copy: boolean) => boolean;
  showAdd: boolean;
  onAdd: () => void;
  onImport: () => void;
  onBackup: () => void;
  onLock: () => void;
  onSettings: () => void;
}

/**
 * The main screen's toolbar. In a narrow window the buttons keep only their icons (their names
 * stay for screen readers and tooltips), so nothing ever overflows the window.
 */
export function Toolbar({
  search,
  query,
  onQuery,
  onSearchEnter,
  showAdd,
  onAdd,
  onImport,
  onBackup,
  onLock,
  onSettings,
}: ToolbarProps) {
  const mac = navigator.platform.startsWith('Mac');
  return (
    <header className="toolbar">
      <div className="brand">
        <AppMark />
        <span className="brand-name">Chronokey</span>
      </div>
      <div className="search">
        <SearchGlyph />
        <input
          ref={search}
          type="search"
          aria-label="Search accounts"
          placeholder="Search"
          value={query}
          onChange={(event) => onQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && query !== '') {
              event.preventDefault();
              onQuery('');
            } else if (event.key === 'ArrowDown' || event.key === 'Enter') {
              if (onSearchEnter(event.key === 'Enter')) event.preventDefault();
            }
          }}
        />
        <kbd className="search-shortcut" aria-hidden="true">
          {mac ? '⌘F' : 'Ctrl F'}
        </kbd>
      </div>
      <div className="toolbar-actions">
        {showAdd && (
          <button
            type="button"
            className="button button-primary toolbar-button"
            title="Add account (Ctrl+N)"
            onClick={onAdd}
          >
            <PlusGlyph />
            <span className="toolbar-label">Add account</span>
          </button>
        )}
        <button
          type="button"
          className="button toolbar-button"
          title="Import from pictures of QR codes, the screen or another app’s backup"
          onClick={onImport}
        >
          <ImportGlyph />
          <span className="toolbar-label">Import</span>
        </button>
        <button
          type="button"
          className="icon-button toolbar-icon"
          aria-label="Backup and transfer"
          title="Backup and transfer"
          onClick={onBackup}
        >
          <BackupGlyph />
        </button>
        <button
          type="button"
          className="icon-button toolbar-icon"
          aria-label="Lock"
          title={mac ? 'Lock (⌘L)' : 'Lock (Ctrl+L)'}
          onClick={onLock}
        >
          <LockGlyph />
        </button>
        <button
          type="button"
          className="icon-button toolbar-icon"
          aria-label="Settings"
          title="Settings"
          onClick={onSettings}
        >
          <GearGlyph />
        </button>
      </div>
    </header>
  );
}
