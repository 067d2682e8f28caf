import { useCallback, useMemo } from 'react';
import type { AccountView } from '../../../../shared/domain';
import type { ListCommands } from '../../components/AccountList';
import type { ToastInput } from '../../components/Toasts';
import type { ListEntry } from '../../lib/account-list';
import { api, call } from '../../lib/api';
import type { CodeStore } from '../../lib/code-store';
import { accountLabel, modKey } from '../../lib/format';

interface Options {
  accounts: readonly AccountView[];
  setAccounts: (update: (current: AccountView[]) => AccountView[]) => void;
  store: CodeStore;
  toast: (toast: ToastInput) => void;
  fail: (caught: unknown) => void;
  edit: (entry: ListEntry) => void;
  remove: (entry: ListEntry) => void;
  showQr: (entry: ListEntry) => void;
  filterTag: (tag: string) => void;
}

/** "GitHub code copied; clears in 30 s", or which code it was when it was the next one. */
export function copiedMessage(
  name: string,
  copied: { clearsAt: number | null; copied: 'current' | 'next'; validFrom?: number | undefined },
  now: number,
): string {
  const clears =
    copied.clearsAt === null
      ? ''
      : `; clears in ${Math.max(1, Math.round((copied.clearsAt - now) / 1000))} s`;
  if (copied.copied === 'next') {
    const starts =
      copied.validFrom === undefined
        ? ''
        : ` (it starts in ${Math.max(0, Math.ceil((copied.validFrom - now) / 1000))} s)`;
    return `${name} next code copied${starts}${clears}`;
  }
  return `${name} code copied${clears}`;
}

/** What the rows ask for, each through main, with a toast or an error toast. */
export function useAccountCommands(options: Options): ListCommands {
  const { accounts, setAccounts, store, toast, fail } = options;

  const replaceAccount = useCallback(
    (view: AccountView) =>
      setAccounts((current) => current.map((account) => (account.id === view.id ? view : account))),
    [setAccounts],
  );

  return useMemo<ListCommands>(
    () => ({
      copy: async (entry, which = 'auto') => {
        try {
          const copied = await call(() => api().codes.copy({ id: entry.view.id, which }));
          const name = entry.view.issuer || entry.view.account || 'Account';
          toast({ message: copiedMessage(name, copied, store.now()) });
          setAccounts((current) =>
            current.map((account) =>
              account.id === entry.view.id ? { ...account, lastUsedAt: Date.now() } : account,
            ),
          );
        } catch (caught) {
          fail(caught);
        }
      },
      hotpNext: async (entry) => {
        try {
          store.set(await call(() => api().codes.hotpNext({ id: entry.view.id })));
        } catch (caught) {
          fail(caught);
        }
      },
      toggleFavourite: async (entry) => {
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
      edit: options.edit,
      remove: options.remove,
      showQr: options.showQr,
      filterTag: options.filterTag,
      reorder: async (ids) => {
        const previous = accounts;
        const byId = new Map(previous.map((account) => [account.id, account]));
        setAccounts(() => ids.map((id) => byId.get(id)).filter((a): a is AccountView => !!a));
        try {
          const reordered = await call(() => api().accounts.reorder({ ids }));
          setAccounts(() => reordered);
        } catch (caught) {
          setAccounts(() => [...previous]);
          fail(caught);
        }
      },
    }),
    [
      accounts,
      fail,
      options.edit,
      options.filterTag,
      options.remove,
      options.showQr,
      replaceAccount,
      setAccounts,
      store,
      toast,
    ],
  );
}

/** A deletion, with Undo in its toast; Recently deleted and Ctrl+Z can bring it back later. */
export async function deleteAccount(
  account: AccountView,
  options: {
    toast: (toast: ToastInput) => void;
    fail: (caught: unknown) => void;
    restore: (undoToken: string, label: string) => Promise<void>;
  },
): Promise<void> {
  const label = accountLabel(account.issuer, account.account);
  const { undoToken } = await call(() => api().accounts.remove({ id: account.id }));
  options.toast({
    message: `Deleted ${label}. Bring it back with Undo, ${modKey()}Z or Recently deleted.`,
    action: { label: 'Undo', run: () => void options.restore(undoToken, label) },
  });
}
