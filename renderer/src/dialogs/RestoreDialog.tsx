import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ImportPreview } from '../../../shared/contract';
import type { AccountView } from '../../../shared/domain';
import { Dialog } from '../components/Dialog';
import { ImportPreviewList } from '../components/ImportPreviewList';
import { api, call, errorCode, errorMessage } from '../lib/api';
import { FileTooLargeError, readImportFile } from '../lib/files';
import type { ImportFileData } from '../lib/files';
import { accountLabel } from '../lib/format';
import { PasswordField } from '../components/PasswordField';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

interface RestoreDialogProps {
  /** The accounts in the vault now: a replace removes them, and the confirmation names them. */
  accounts: readonly AccountView[];
  onClose: () => void;
  onRestored: (message: string) => void;
  onLocked: () => void;
}

/** "GitHub alice, Google bob, Dropbox carol and 7 more". */
function someNames(accounts: readonly AccountView[], shown = 3): string {
  const names = accounts.slice(0, shown).map((a) => accountLabel(a.issuer, a.account));
  const rest = accounts.length - names.length;
  if (rest <= 0) {
    return names.length <= 1
      ? (names[0] ?? '')
      : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  }
  return `${names.join(', ')} and ${rest} more`;
}

/**
 * Restore: open a backup (Chronokey's own, or any file the import reads), give its password,
 * look at the import preview, then merge it in (duplicates skipped) or replace the vault's
 * accounts with it after a confirmation that says what goes.
 */
export function RestoreDialog({ accounts, onClose, onRestored, onLocked }: RestoreDialogProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmReplace, setConfirmReplace] = useState(false);
  const previewRef = useRef<ImportPreview | null>(null);
  const committed = useRef(false);

  const apply = useCallback((next: ImportPreview) => {
    previewRef.current = next;
    setPreview(next);
    // A restore brings back everything by default; duplicates are skipped by Merge itself.
    setSelected(new Set(next.items.map((item) => item.key)));
  }, []);

  // Leaving without restoring lets main forget the preview (and the decrypted backup).
  useEffect(
    () => () => {
      const open = previewRef.current;
      if (open && !committed.current) {
        void call(() => api().import.cancel({ previewId: open.id })).catch(() => undefined);
      }
    },
    [],
  );

  async function work(what: string, task: () => Promise<void>) {
    setBusy(what);
    setError(null);
    try {
      await task();
    } catch (caught) {
      if (errorCode(caught) === 'VAULT_LOCKED') return onLocked();
      setError(errorMessage(caught));
    } finally {
      setBusy(null);
    }
  }

  function openFile(file: File) {
    void work(`Reading ${file.name}…`, async () => {
      const old = previewRef.current;
      if (old) {
        previewRef.current = null;
        setPreview(null);
        void call(() => api().import.cancel({ previewId: old.id })).catch(() => undefined);
      }
      let data: ImportFileData;
      try {
        data = await readImportFile(file);
      } catch (caught) {
        if (caught instanceof FileTooLargeError) return setError(caught.message);
        throw caught;
      }
      apply(await call(() => api().import.addFiles({ files: [data] })));
    });
  }

  const locked = preview?.needsPassword[0];

  function unlock(event: FormEvent) {
    event.preventDefault();
    const current = previewRef.current;
    if (!current || !locked) return;
    if (password === '') return setError('Type the password this backup was saved with.');
    void work('Checking the password and decrypting the backup…', async () => {
      apply(
        await call(() =>
          api().import.unlock({ previewId: current.id, source: locked.source, password }),
        ),
      );
      setPassword('');
    });
  }

  const items = preview?.items ?? [];
  const chosen = items.filter((item) => selected.has(item.key));
  const duplicates = chosen.filter((item) => item.marks.some((m) => m.code === 'DUPLICATE'));
  const fresh = chosen.length - duplicates.length;

  function restore(mode: 'merge' | 'replace') {
    const current = previewRef.current;
    if (!current) return;
    const keys = (
      mode === 'merge' ? chosen.filter((item) => !duplicates.includes(item)) : chosen
    ).map((item) => item.key);
    void work(mode === 'merge' ? 'Adding accounts…' : 'Replacing accounts…', async () => {
      const { added } = await call(() =>
        api().import.commit({ previewId: current.id, keys, mode }),
      );
      committed.current = true;
      setConfirmReplace(false);
      onRestored(
        mode === 'merge'
          ? `Restored ${plural(added.length, 'account', 'accounts')}${duplicates.length > 0 ? `; ${plural(duplicates.length, 'duplicate was', 'duplicates were')} skipped` : ''}.`
          : `Replaced your accounts with the ${plural(added.length, 'account', 'accounts')} from the backup.`,
      );
    });
  }

  const errors = preview?.errors ?? [];

  return (
    <>
      <Dialog
        title="Restore from a backup"
        onClose={onClose}
        wide
        description="Open a Chronokey backup (or another app’s export), check what it holds, then add it to your accounts or put it in their place."
      >
        <div className="restore">
          <div className="button-row">
            <button
              type="button"
              className={`button${preview ? '' : ' button-primary'}`}
              disabled={busy !== null}
              onClick={() => fileInput.current?.click()}
            >
              {preview ? 'Choose another file…' : 'Choose backup file…'}
            </button>
            <input
              ref={fileInput}
              type="file"
              className="visually-hidden"
              tabIndex={-1}
              aria-hidden="true"
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = '';
                if (file) openFile(file);
              }}
            />
          </div>

          {locked && (
            <form className="form" onSubmit={unlock} noValidate>
              <p>
                <strong>{locked.source}</strong> is encrypted ({locked.label}). Type the password it
                was saved with.
              </p>
              <PasswordField
                label="Backup password"
                value={password}
                onChange={setPassword}
                autoComplete="off"
                disabled={busy !== null}
                autoFocus
              />
              <div className="button-row">
                <button type="submit" className="button button-primary" disabled={busy !== null}>
                  Open backup
                </button>
              </div>
            </form>
          )}

          {busy && (
            <div className="progress-line">
              <div className="progress-indeterminate" role="progressbar" aria-label={busy} />
              <span>{busy}</span>
            </div>
          )}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          {errors.length > 0 && (
            <div className="form-error" role="alert">
              {errors.map((problem) => (
                <p key={`${problem.source}:${problem.code}`}>{problem.message}</p>
              ))}
            </div>
          )}

          {preview && !locked && items.length > 0 && (
            <>
              <p aria-live="polite">
                This backup holds {plural(items.length, 'account', 'accounts')}
                {duplicates.length > 0
                  ? `; ${plural(duplicates.length, 'is', 'are')} already in Chronokey.`
                  : '.'}
              </p>
              <ImportPreviewList
                items={items}
                selected={selected}
                showSource={false}
                onToggle={(key, on) =>
                  setSelected((current) => {
                    const next = new Set(current);
                    if (on) next.add(key);
                    else next.delete(key);
                    return next;
                  })
                }
              />
            </>
          )}
          {preview && !locked && items.length === 0 && errors.length === 0 && (
            <p role="status">This file holds no accounts to restore.</p>
          )}
        </div>

        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          {preview && !locked && items.length > 0 && (
            <>
              <button
                type="button"
                className="button"
                disabled={busy !== null || chosen.length === 0}
                onClick={() => setConfirmReplace(true)}
              >
                Replace…
              </button>
              <button
                type="button"
                className="button button-primary"
                disabled={busy !== null || fresh === 0}
                title="Add the accounts that are not in Chronokey yet"
                onClick={() => restore('merge')}
              >
                Merge
              </button>
            </>
          )}
        </div>
      </Dialog>

      {confirmReplace && (
        <Dialog
          title="Replace all accounts?"
          role="alertdialog"
          onClose={() => setConfirmReplace(false)}
          initialFocus="[data-cancel]"
          description={
            accounts.length === 0
              ? `Chronokey has no accounts now; the ${plural(chosen.length, 'account', 'accounts')} from the backup will be added.`
              : `This removes the ${plural(accounts.length, 'account', 'accounts')} now in Chronokey (${someNames(accounts)}) and puts the ${plural(chosen.length, 'account', 'accounts')} from the backup in their place. Any account that is not in the backup stops working here.`
          }
        >
          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              data-cancel
              onClick={() => setConfirmReplace(false)}
            >
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={busy !== null}
              onClick={() => restore('replace')}
            >
              Replace accounts
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
