import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import type { AccountView, Settings } from '../../../shared/domain';
import { AccountList } from '../components/AccountList';
import type { ListCommands } from '../components/AccountList';
import {
  AppMark,
  GearGlyph,
  ImportGlyph,
  LockGlyph,
  PlusGlyph,
  SearchGlyph,
} from '../components/glyphs';
import { useToast } from '../components/Toasts';
import { AutoBackupBanner } from '../components/AutoBackupSettings';
import { BackupGlyph } from '../components/backup-glyphs';
import { AddAccountDialog } from '../dialogs/AddAccountDialog';
import { BackupFlow } from '../dialogs/BackupDialog';
import type { BackupStart } from '../dialogs/BackupDialog';
import { DeleteDialog } from '../dialogs/DeleteDialog';
import { EditAccountDialog } from '../dialogs/EditAccountDialog';
import { ImportDialog } from '../dialogs/ImportDialog';
import type { ImportInput } from '../dialogs/ImportDialog';
import { SettingsDialog } from '../dialogs/SettingsDialog';
import { ClockBanner } from '../components/ClockBanner';
import { RollbackBanner } from '../components/RollbackBanner';
import type { ListEntry, SortOrder } from '../lib/account-list';
import { allTags, filterEntries, sortEntries, toEntries } from '../lib/account-list';
import { api, call, errorCode, errorMessage, onAppEvent } from '../lib/api';
import { loadBrandIcons } from '../lib/brand-icons';
import { CodeStore } from '../lib/code-store';
import { filesOf, hasFiles, looksImportable, pastedFileName } from '../lib/files';
import { accountLabel } from '../lib/format';

type OpenDialog =
  | { kind: 'add'; uri?: string }
  | { kind: 'edit'; id: string }
  | { kind: 'delete'; id: string }
  | { kind: 'settings' }
  | { kind: 'import' }
  | { kind: 'backup'; start: BackupStart }
  | null;

export interface VaultData {
  accounts: AccountView[];
  settings: Settings;
  store: CodeStore;
}

/** Loads what the unlocked screen needs in one go, so the first paint already has every code. */
export async function loadVault(): Promise<VaultData> {
  const [accounts, settings, codes] = await Promise.all([
    call(() => api().accounts.list()),
    call(() => api().settings.get()),
    call(() => api().codes.current()),
  ]);
  const store = new CodeStore();
  store.replace(codes);
  store.tick();
  return { accounts, settings, store };
}

interface VaultProps {
  data: VaultData;
  status: VaultStatus;
  onStatus: (status: VaultStatus) => void;
  onSettings: (settings: Settings) => void;
  /** Main says the vault is locked (idle, suspend, another window): go to the lock screen. */
  onLocked: () => void;
  /** Open Backup and transfer at once (chosen on the first-run screen). */
  openBackups?: boolean;
}

export function Vault({
  data,
  status,
  onStatus,
  onSettings,
  onLocked,
  openBackups = false,
}: VaultProps) {
  const { store } = data;
  const toast = useToast();
  const [accounts, setAccounts] = useState<AccountView[]>(data.accounts);
  const [settings, setSettings] = useState<Settings>(data.settings);
  const [query, setQuery] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OpenDialog>(
    openBackups ? { kind: 'backup', start: { kind: 'hub' } } : null,
  );
  const search = useRef<HTMLInputElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const [importInputs, setImportInputs] = useState<ImportInput[]>([]);
  const [dragging, setDragging] = useState(false);
  const importSeq = useRef(0);
  const dialogRef = useRef(dialog);
  dialogRef.current = dialog;

  /** Opens the import (or adds to the one open) with files or text handed in from outside. */
  const startImport = useCallback((input?: Omit<ImportInput, 'seq'>) => {
    const open = dialogRef.current?.kind === 'import';
    const next = input ? [{ ...input, seq: ++importSeq.current }] : [];
    setImportInputs((current) => (open ? [...current, ...next] : next));
    if (!open) setDialog({ kind: 'import' });
  }, []);

  // Files dropped anywhere on the window, and pictures pasted with Ctrl/Cmd+V, go to the import.
  useEffect(() => {
    let depth = 0;
    const accepts = () => {
      const kind = dialogRef.current?.kind;
      return kind === undefined || kind === 'add' || kind === 'import';
    };
    const onDragEnter = (event: DragEvent) => {
      if (!hasFiles(event.dataTransfer) || !accepts()) return;
      depth += 1;
      setDragging(true);
    };
    const onDragOver = (event: DragEvent) => {
      if (!hasFiles(event.dataTransfer)) return;
      // Never let the browser open a dropped file in place of the app.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = accepts() ? 'copy' : 'none';
    };
    const onDragLeave = (event: DragEvent) => {
      if (!hasFiles(event.dataTransfer) || depth === 0) return;
      depth -= 1;
      if (depth === 0) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      depth = 0;
      setDragging(false);
      const files = filesOf(event.dataTransfer);
      if (files.length === 0) return;
      event.preventDefault();
      if (!accepts()) return;
      startImport({ files: files.map((file) => ({ file, name: file.name })) });
    };
    const onPaste = (event: ClipboardEvent) => {
      if (!accepts()) return;
      const files = filesOf(event.clipboardData);
      if (files.length > 0) {
        event.preventDefault();
        startImport({
          files: files.map((file, index) => ({
            file,
            name: pastedFileName(file, index, files.length),
          })),
        });
        return;
      }
      // Pasted text goes where it was pasted, except links pasted on the bare main screen.
      if (dialogRef.current !== null) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (looksImportable(text)) {
        event.preventDefault();
        startImport({ text });
      }
    };
    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('paste', onPaste);
    };
  }, [startImport]);

  const fail = useCallback(
    (caught: unknown) => {
      if (errorCode(caught) === 'VAULT_LOCKED') return onLocked();
      toast({ message: errorMessage(caught), tone: 'error' });
    },
    [onLocked, toast],
  );

  const applySettings = useCallback(
    (next: Settings) => {
      setSettings(next);
      onSettings(next);
    },
    [onSettings],
  );

  // Codes: ask main once per second, just after each second begins, and hand changes to rows.
  const refreshCodes = useRef<() => void>(() => undefined);
  useEffect(() => {
    let stopped = false;
    let timer = 0;
    let inFlight = false;
    const poll = async () => {
      window.clearTimeout(timer);
      if (inFlight) return;
      inFlight = true;
      try {
        const codes = await call(() => api().codes.current());
        if (stopped) return;
        store.replace(codes);
        store.tick();
      } catch (caught) {
        if (!stopped && errorCode(caught) === 'VAULT_LOCKED') {
          stopped = true;
          onLocked();
          return;
        }
      } finally {
        inFlight = false;
      }
      if (!stopped) timer = window.setTimeout(poll, 1000 - (store.now() % 1000) + 10);
    };
    refreshCodes.current = () => void poll();
    timer = window.setTimeout(poll, 1000 - (store.now() % 1000) + 10);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [store, onLocked]);

  // Brand icons load after the codes are on screen.
  useEffect(() => {
    const idle = window.setTimeout(() => void loadBrandIcons(), 50);
    return () => window.clearTimeout(idle);
  }, []);

  const lock = useCallback(async () => {
    try {
      onStatus(await call(() => api().vault.lock()));
    } catch (caught) {
      fail(caught);
    }
  }, [fail, onStatus]);

  const focusSearch = useCallback(() => {
    search.current?.focus();
    search.current?.select();
  }, []);

  // Keyboard shortcuts (the native menu sends the same commands as events where it exists).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const inDialog = document.querySelector('dialog[open]') !== null;
      if (mod && !event.altKey && !event.shiftKey) {
        const key = event.key.toLowerCase();
        if (key === 'f' && !inDialog) {
          event.preventDefault();
          focusSearch();
        } else if (key === 'l') {
          event.preventDefault();
          void lock();
        } else if (key === 'n' && !inDialog) {
          event.preventDefault();
          setDialog({ kind: 'add' });
        } else if (key === ',' && !inDialog) {
          event.preventDefault();
          setDialog({ kind: 'settings' });
        }
        return;
      }
      // Type to search: a printable key typed outside a field goes into the search box.
      const target = event.target as HTMLElement | null;
      const typing =
        target?.closest('input, textarea, select, [contenteditable="true"]') !== null &&
        target !== null;
      if (
        !inDialog &&
        !typing &&
        !event.altKey &&
        !mod &&
        event.key.length === 1 &&
        event.key !== ' '
      ) {
        event.preventDefault();
        search.current?.focus();
        setQuery((current) => current + event.key);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    // Main locks the vault itself (menu, idle, suspend) and says so through onVaultLocked.
    const offs = [
      onAppEvent('onFocusSearch', focusSearch),
      onAppEvent('onAddAccount', () => setDialog({ kind: 'add' })),
      onAppEvent('onOpenSettings', () => setDialog({ kind: 'settings' })),
    ];
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      for (const off of offs) off();
    };
  }, [focusSearch, lock]);

  // An otpauth:// link opened with Chronokey (now, or while it was locked) opens the add flow.
  useEffect(() => {
    const takeLink = () =>
      void call(() => api().system.takePendingLink())
        .then((link) => link && setDialog({ kind: 'add', uri: link.uri }))
        .catch(() => undefined);
    takeLink();
    return onAppEvent('onAddLink', takeLink);
  }, []);

  const entries = useMemo(() => toEntries(accounts), [accounts]);
  const sorted = useMemo(
    () => sortEntries(entries, settings.sortOrder),
    [entries, settings.sortOrder],
  );
  const tags = useMemo(() => allTags(accounts), [accounts]);
  const activeTag =
    tag !== null && tags.some((t) => t.toLowerCase() === tag.toLowerCase()) ? tag : null;
  const shown = useMemo(() => filterEntries(sorted, query, activeTag), [sorted, query, activeTag]);
  const manualIds = useMemo(() => accounts.map((account) => account.id), [accounts]);
  const manual = settings.sortOrder === 'manual';

  const reloadAccounts = useCallback(async () => {
    setAccounts(await call(() => api().accounts.list()));
    refreshCodes.current();
  }, []);

  const replaceAccount = useCallback((view: AccountView) => {
    setAccounts((current) => current.map((account) => (account.id === view.id ? view : account)));
  }, []);

  const commands = useMemo<ListCommands>(
    () => ({
      copy: async (entry: ListEntry) => {
        try {
          const { clearsAt } = await call(() => api().codes.copy({ id: entry.view.id }));
          const seconds =
            clearsAt === null ? 0 : Math.max(1, Math.round((clearsAt - store.now()) / 1000));
          toast({
            message:
              clearsAt === null
                ? 'Code copied.'
                : `Code copied. The clipboard clears in ${seconds} seconds.`,
          });
          setAccounts((current) =>
            current.map((account) =>
              account.id === entry.view.id ? { ...account, lastUsedAt: Date.now() } : account,
            ),
          );
        } catch (caught) {
          fail(caught);
        }
      },
      hotpNext: async (entry: ListEntry) => {
        try {
          store.set(await call(() => api().codes.hotpNext({ id: entry.view.id })));
        } catch (caught) {
          fail(caught);
        }
      },
      toggleFavourite: async (entry: ListEntry) => {
        try {
          replaceAccount(
            await call(() =>
              api().accounts.update({
                id: entry.view.id,
                changes: { favourite: !entry.view.favourite },
              }),
            ),
          );
        } catch (caught) {
          fail(caught);
        }
      },
      edit: (entry: ListEntry) => setDialog({ kind: 'edit', id: entry.view.id }),
      remove: (entry: ListEntry) => setDialog({ kind: 'delete', id: entry.view.id }),
      showQr: (entry: ListEntry) =>
        setDialog({ kind: 'backup', start: { kind: 'qr', id: entry.view.id } }),
      reorder: async (ids: string[]) => {
        const previous = accounts;
        const byId = new Map(previous.map((account) => [account.id, account]));
        setAccounts(ids.map((id) => byId.get(id)).filter((a): a is AccountView => !!a));
        try {
          setAccounts(await call(() => api().accounts.reorder({ ids })));
        } catch (caught) {
          setAccounts(previous);
          fail(caught);
        }
      },
    }),
    [accounts, fail, replaceAccount, store, toast],
  );

  async function confirmDelete(account: AccountView) {
    const label = accountLabel(account.issuer, account.account);
    const { undoToken } = await call(() => api().accounts.remove({ id: account.id }));
    setAccounts((current) => current.filter((candidate) => candidate.id !== account.id));
    setDialog(null);
    toast({
      message: `Deleted ${label}.`,
      action: {
        label: 'Undo',
        run: () => {
          void (async () => {
            try {
              await call(() => api().accounts.undoRemove({ undoToken }));
              await reloadAccounts();
              toast({ message: `${label} is back.` });
            } catch (caught) {
              fail(caught);
            }
          })();
        },
      },
    });
  }

  const editing =
    dialog?.kind === 'edit' || dialog?.kind === 'delete'
      ? accounts.find((account) => account.id === dialog.id)
      : undefined;
  const empty = accounts.length === 0;

  return (
    <div className="app-shell">
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
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && query !== '') {
                event.preventDefault();
                setQuery('');
              } else if (event.key === 'ArrowDown' || (event.key === 'Enter' && shown.length > 0)) {
                const first = document.querySelector<HTMLElement>('[data-row-index="0"]');
                if (first) {
                  event.preventDefault();
                  first.focus();
                  if (event.key === 'Enter' && shown[0]) void commands.copy(shown[0]);
                }
              }
            }}
          />
          <kbd className="search-shortcut" aria-hidden="true">
            {navigator.platform.startsWith('Mac') ? '⌘F' : 'Ctrl F'}
          </kbd>
        </div>
        <div className="toolbar-actions">
          {!empty && (
            <button
              ref={addButton}
              type="button"
              className="button button-primary"
              onClick={() => setDialog({ kind: 'add' })}
            >
              <PlusGlyph />
              Add account
            </button>
          )}
          <button
            type="button"
            className="button"
            title="Import from pictures of QR codes, the screen or another app’s backup"
            onClick={() => startImport()}
          >
            <ImportGlyph />
            Import
          </button>
          <button
            type="button"
            className="icon-button toolbar-icon"
            aria-label="Backup and transfer"
            title="Backup and transfer"
            onClick={() => setDialog({ kind: 'backup', start: { kind: 'hub' } })}
          >
            <BackupGlyph />
          </button>
          <button
            type="button"
            className="icon-button toolbar-icon"
            aria-label="Lock"
            title="Lock (Ctrl+L)"
            onClick={() => void lock()}
          >
            <LockGlyph />
          </button>
          <button
            type="button"
            className="icon-button toolbar-icon"
            aria-label="Settings"
            title="Settings"
            onClick={() => setDialog({ kind: 'settings' })}
          >
            <GearGlyph />
          </button>
        </div>
      </header>
      <RollbackBanner status={status} onStatus={onStatus} />
      <ClockBanner />
      <AutoBackupBanner onOpen={() => setDialog({ kind: 'backup', start: { kind: 'hub' } })} />

      {!empty && (
        <div className="filter-bar">
          <span className="count" aria-live="polite">
            {shown.length === accounts.length
              ? `${accounts.length} ${accounts.length === 1 ? 'account' : 'accounts'}`
              : `${shown.length} of ${accounts.length}`}
          </span>
          <div className="filters">
            <label className="inline-select">
              <span>Tag</span>
              <select
                aria-label="Filter by tag"
                value={activeTag ?? ''}
                onChange={(event) => setTag(event.target.value === '' ? null : event.target.value)}
              >
                <option value="">All tags</option>
                {tags.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-select">
              <span>Sort</span>
              <select
                aria-label="Sort by"
                value={settings.sortOrder}
                onChange={async (event) => {
                  const sortOrder = event.target.value as SortOrder;
                  setSettings((current) => ({ ...current, sortOrder }));
                  try {
                    applySettings(await call(() => api().settings.update({ sortOrder })));
                  } catch (caught) {
                    fail(caught);
                  }
                }}
              >
                <option value="manual">Manual order</option>
                <option value="name">Name</option>
                <option value="recent">Recently used</option>
              </select>
            </label>
          </div>
        </div>
      )}

      <main className="content" data-focus-fallback tabIndex={-1}>
        {empty ? (
          <EmptyState onAdd={() => setDialog({ kind: 'add' })} />
        ) : shown.length === 0 ? (
          <div className="no-results">
            <p className="no-results-title">No accounts match “{query || activeTag}”.</p>
            <p>Try another word, or choose “All tags”.</p>
          </div>
        ) : (
          <AccountList
            shown={shown}
            manualIds={manualIds}
            manual={manual}
            store={store}
            showNext={settings.showNextCode}
            privacy={settings.privacyMode}
            commands={commands}
          />
        )}
      </main>

      {dragging && dialog === null && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-card">
            <ImportGlyph />
            <span>Drop to import</span>
            <span className="drop-overlay-hint">
              Pictures of QR codes, or backups from another authenticator
            </span>
          </div>
        </div>
      )}
      {dialog?.kind === 'add' && (
        <AddAccountDialog
          key={dialog.uri ?? ''}
          initialUri={dialog.uri}
          onClose={() => setDialog(null)}
          onImport={(text) => startImport(text === undefined ? undefined : { text })}
          onAdded={(view) => {
            setDialog(null);
            setAccounts((current) => [...current, view]);
            refreshCodes.current();
            setQuery('');
            toast({ message: `Added ${accountLabel(view.issuer, view.account)}.` });
          }}
        />
      )}
      {dialog?.kind === 'edit' && editing && (
        <EditAccountDialog
          account={editing}
          knownTags={tags}
          onClose={() => setDialog(null)}
          onSaved={(view) => {
            replaceAccount(view);
            setDialog(null);
            toast({ message: 'Changes saved.' });
          }}
        />
      )}
      {dialog?.kind === 'delete' && editing && (
        <DeleteDialog
          label={accountLabel(editing.issuer, editing.account)}
          onCancel={() => setDialog(null)}
          onConfirm={() => confirmDelete(editing)}
        />
      )}
      {dialog?.kind === 'import' && (
        <ImportDialog
          incoming={importInputs}
          dragging={dragging}
          onClose={() => setDialog(null)}
          onLocked={onLocked}
          onImported={(added) => {
            setDialog(null);
            setQuery('');
            void reloadAccounts().catch(fail);
            toast({
              message:
                added.length === 1
                  ? `Imported ${accountLabel(added[0]!.issuer, added[0]!.account)}.`
                  : `Imported ${added.length} accounts.`,
            });
          }}
        />
      )}
      {dialog?.kind === 'backup' && (
        <BackupFlow
          start={dialog.start}
          accounts={accounts}
          settings={settings}
          onSettings={applySettings}
          vaultHasPassword={status.slots.includes('password')}
          onClose={() => setDialog(null)}
          onLocked={onLocked}
          onRestored={(message) => {
            setQuery('');
            void reloadAccounts().then(() => toast({ message }), fail);
          }}
        />
      )}
      {dialog?.kind === 'settings' && (
        <SettingsDialog
          settings={settings}
          status={status}
          onSettings={applySettings}
          onStatus={onStatus}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}

function EmptyState({ onAdd }: { onAdd: () => void }) {
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <div className="empty-art" aria-hidden="true">
        <span className="empty-code">123 456</span>
      </div>
      <h1 id="empty-title" className="empty-title">
        No accounts yet
      </h1>
      <p className="empty-text">
        When a site offers two-step sign-in with an “authenticator app”, choose “can’t scan?” to see
        its otpauth link or secret key, then add it here.
      </p>
      <button type="button" className="button button-primary" onClick={onAdd}>
        <PlusGlyph />
        Add account
      </button>
    </section>
  );
}
