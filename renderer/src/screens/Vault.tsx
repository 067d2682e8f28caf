import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import type { AccountView, Settings } from '../../../shared/domain';
import { AccountList } from '../components/AccountList';
import type { AccountListHandle } from '../components/AccountList';
import { AutoBackupBanner } from '../components/AutoBackupSettings';
import { ClockBanner } from '../components/ClockBanner';
import { ImportGlyph } from '../components/glyphs';
import { RollbackBanner } from '../components/RollbackBanner';
import { FollowToasts } from '../components/FollowSettings';
import { SyncIndicator } from '../components/SyncSettings';
import { useToast } from '../components/Toasts';
import type { ImportInput } from '../dialogs/ImportDialog';
import type { ListEntry, SortOrder } from '../lib/account-list';
import {
  allTags,
  filterEntries,
  recentSnapshot,
  sortEntries,
  toEntries,
} from '../lib/account-list';
import { api, call, errorCode, errorMessage, onAppEvent } from '../lib/api';
import { loadBrandIcons } from '../lib/brand-icons';
import { CodeStore } from '../lib/code-store';
import { EmptyState } from './vault/EmptyState';
import { FilterBar } from './vault/FilterBar';
import { Toolbar } from './vault/Toolbar';
import { deleteAccount, useAccountCommands } from './vault/use-account-commands';
import { useCodeRefresh } from './vault/use-code-refresh';
import { useImportDrop } from './vault/use-import-drop';
import { useShortcuts } from './vault/use-shortcuts';
import type { OpenDialog } from './vault/VaultDialogs';
import { VaultDialogs } from './vault/VaultDialogs';

export interface VaultData {
  accounts: AccountView[];
  settings: Settings;
  store: CodeStore;
}

/**
 * Loads what the unlocked screen needs in one go, so the first paint already has every code,
 * and every brand icon: a row never shows a letter tile that turns into a logo a moment later.
 */
export async function loadVault(): Promise<VaultData> {
  const [accounts, settings, codes] = await Promise.all([
    call(() => api().accounts.list()),
    call(() => api().settings.get()),
    call(() => api().codes.current()),
    loadBrandIcons().catch(() => undefined),
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
  const [accounts, setAccountsState] = useState<AccountView[]>(data.accounts);
  const [settings, setSettings] = useState<Settings>(data.settings);
  const [query, setQuery] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OpenDialog>(
    openBackups ? { kind: 'backup', start: { kind: 'hub' } } : null,
  );
  const [importInputs, setImportInputs] = useState<ImportInput[]>([]);
  const [dragging, setDragging] = useState(false);
  const [recent, setRecent] = useState(() => recentSnapshot(data.accounts));
  const [deletedCount, setDeletedCount] = useState(0);
  const search = useRef<HTMLInputElement>(null);
  const list = useRef<AccountListHandle>(null);
  const importSeq = useRef(0);
  const dialogRef = useRef(dialog);
  dialogRef.current = dialog;
  const accountsRef = useRef(accounts);
  accountsRef.current = accounts;

  const setAccounts = useCallback((update: (current: AccountView[]) => AccountView[]) => {
    setAccountsState(update);
  }, []);

  /** The "recently used" order settles: rows may move now that nobody is pointing at them. */
  const settleOrder = useCallback(() => setRecent(recentSnapshot(accountsRef.current)), []);

  /** Opens the import (or adds to the one open) with files, text or a screen scan. */
  const startImport = useCallback((input?: Omit<ImportInput, 'seq'>) => {
    const open = dialogRef.current?.kind === 'import';
    const next = input ? [{ ...input, seq: ++importSeq.current }] : [];
    setImportInputs((current) => (open ? [...current, ...next] : next));
    if (!open) setDialog({ kind: 'import' });
  }, []);

  useImportDrop({
    accepts: useCallback(() => {
      const kind = dialogRef.current?.kind;
      return kind === undefined || kind === 'add' || kind === 'import';
    }, []),
    dialogOpen: useCallback(() => dialogRef.current !== null, []),
    setDragging,
    startImport,
  });

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

  const refreshCodes = useCodeRefresh(store, onLocked);

  // The next visit to the window is a moment to settle a "recently used" order.
  useEffect(() => {
    window.addEventListener('focus', settleOrder);
    return () => window.removeEventListener('focus', settleOrder);
  }, [settleOrder]);

  const reloadAccounts = useCallback(async () => {
    const next = await call(() => api().accounts.list());
    setAccountsState(next);
    setRecent(recentSnapshot(next));
    refreshCodes();
  }, [refreshCodes]);

  const onSyncMerged = useCallback(() => {
    void reloadAccounts().catch(fail);
  }, [reloadAccounts, fail]);

  const countDeleted = useCallback(async () => {
    setDeletedCount((await call(() => api().accounts.recentlyDeleted()).catch(() => [])).length);
  }, []);

  const restore = useCallback(
    async (undoToken: string, label: string) => {
      try {
        await call(() => api().accounts.undoRemove({ undoToken }));
        await reloadAccounts();
        toast({ message: `${label} is back.` });
      } catch (caught) {
        fail(caught);
      } finally {
        void countDeleted();
      }
    },
    [countDeleted, fail, reloadAccounts, toast],
  );

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

  const shortcuts = useMemo(
    () => ({
      focusSearch,
      lock: () => void lock(),
      addAccount: () => setDialog({ kind: 'add' }),
      openSettings: () => setDialog({ kind: 'settings' }),
      undoDelete: () =>
        void call(() => api().accounts.recentlyDeleted())
          .then((entries) => {
            const last = entries[0];
            if (!last) return toast({ message: 'Nothing to undo.' });
            return restore(
              last.undoToken,
              [last.account.issuer, last.account.account].filter(Boolean).join(' ') ||
                'The account',
            );
          })
          .catch(fail),
      typeIntoSearch: (key: string) => {
        search.current?.focus();
        setQuery((current) => current + key);
      },
    }),
    [fail, focusSearch, lock, restore, toast],
  );
  useShortcuts(shortcuts);

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
    () => sortEntries(entries, settings.sortOrder, recent),
    [entries, settings.sortOrder, recent],
  );
  const tags = useMemo(() => allTags(accounts), [accounts]);
  const activeTag =
    tag !== null && tags.some((t) => t.toLowerCase() === tag.toLowerCase()) ? tag : null;
  const shown = useMemo(() => filterEntries(sorted, query, activeTag), [sorted, query, activeTag]);
  const manualIds = useMemo(() => accounts.map((account) => account.id), [accounts]);

  const commands = useAccountCommands({
    accounts,
    setAccounts,
    store,
    toast,
    fail,
    edit: useCallback((entry: ListEntry) => setDialog({ kind: 'edit', id: entry.view.id }), []),
    remove: useCallback((entry: ListEntry) => setDialog({ kind: 'delete', id: entry.view.id }), []),
    showQr: useCallback(
      (entry: ListEntry) => setDialog({ kind: 'backup', start: { kind: 'qr', id: entry.view.id } }),
      [],
    ),
    filterTag: useCallback((chosen: string) => setTag(chosen), []),
  });

  async function confirmDelete(account: AccountView) {
    // Focus goes to the row that takes its place (the next, or the one before the last).
    const at = shown.findIndex((entry) => entry.view.id === account.id);
    const neighbour = shown[at + 1] ?? shown[at - 1];
    await deleteAccount(account, { toast, fail, restore });
    setAccountsState((current) => current.filter((candidate) => candidate.id !== account.id));
    setDialog(null);
    void countDeleted();
    if (neighbour) window.requestAnimationFrame(() => list.current?.focusRow(neighbour.view.id));
  }

  const empty = accounts.length === 0;

  // Unlocking lands on the list: the first row has focus, ready for arrows and Enter.
  useEffect(() => {
    const first = shown[0];
    if (first && !openBackups) list.current?.focusRow(first.view.id);
    // Only when the screen opens.
  }, []);

  return (
    <div className="app-shell">
      <Toolbar
        search={search}
        query={query}
        onQuery={setQuery}
        onSearchEnter={(copy) => {
          const first = shown[0];
          if (!first) return false;
          list.current?.focusRow(first.view.id);
          if (copy) commands.copy(first);
          return true;
        }}
        showAdd={!empty}
        onAdd={() => setDialog({ kind: 'add' })}
        onImport={() => startImport()}
        onBackup={() => setDialog({ kind: 'backup', start: { kind: 'hub' } })}
        onLock={() => void lock()}
        onSettings={() => setDialog({ kind: 'settings' })}
      />
      <RollbackBanner status={status} onStatus={onStatus} />
      <ClockBanner />
      <AutoBackupBanner onOpen={() => setDialog({ kind: 'backup', start: { kind: 'hub' } })} />
      <SyncIndicator
        onMerged={onSyncMerged}
        onOpen={() => setDialog({ kind: 'settings' })}
        toast={toast}
      />
      <FollowToasts onChanged={onSyncMerged} toast={toast} />

      {!empty && (
        <FilterBar
          shownCount={shown.length}
          totalCount={accounts.length}
          tags={tags}
          activeTag={activeTag}
          onTag={setTag}
          sortOrder={settings.sortOrder}
          deletedCount={deletedCount}
          onRecentlyDeleted={() => setDialog({ kind: 'deleted' })}
          onSort={async (sortOrder: SortOrder) => {
            setRecent(recentSnapshot(accountsRef.current));
            setSettings((current) => ({ ...current, sortOrder }));
            try {
              applySettings(await call(() => api().settings.update({ sortOrder })));
            } catch (caught) {
              fail(caught);
            }
          }}
        />
      )}

      <main className="content" data-focus-fallback tabIndex={-1}>
        {empty ? (
          <EmptyState
            onAdd={() => setDialog({ kind: 'add' })}
            onScan={() => startImport({ scan: true })}
            onImport={() => startImport()}
          />
        ) : shown.length === 0 ? (
          <div className="no-results">
            <p className="no-results-title">No accounts match “{query || activeTag}”.</p>
            <p>Try another word, or choose “All tags”.</p>
          </div>
        ) : (
          <AccountList
            ref={list}
            shown={shown}
            manualIds={manualIds}
            manual={settings.sortOrder === 'manual'}
            store={store}
            showNext={settings.showNextCode}
            privacy={settings.privacyMode}
            commands={commands}
            scrollKey={`${query}\n${activeTag ?? ''}\n${settings.sortOrder}`}
            onPointerLeave={settleOrder}
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
      <VaultDialogs
        dialog={dialog}
        setDialog={setDialog}
        accounts={accounts}
        tags={tags}
        settings={settings}
        status={status}
        importInputs={importInputs}
        dragging={dragging}
        onStatus={onStatus}
        onSettings={applySettings}
        onLocked={onLocked}
        startImport={startImport}
        confirmDelete={confirmDelete}
        restore={restore}
        onAdded={(view) => {
          setAccountsState((current) => [...current, view]);
          refreshCodes();
          setQuery('');
        }}
        onChanged={(view) =>
          setAccountsState((current) =>
            current.map((account) => (account.id === view.id ? view : account)),
          )
        }
        onImported={() => {
          setQuery('');
          void reloadAccounts().catch(fail);
        }}
      />
    </div>
  );
}
