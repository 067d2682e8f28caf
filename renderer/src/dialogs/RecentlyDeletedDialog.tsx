import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../shared/contract';
import { Dialog } from '../components/Dialog';
import { api, call, errorMessage } from '../lib/api';
import { accountLabel } from '../lib/format';
import { FormError } from '../components/FormParts';

type Deleted = ChannelOutput<'accounts.recentlyDeleted'>[number];

/**
 * What was deleted while Chronokey has been unlocked, each with Restore until main forgets it
 * (15 minutes, or when the vault locks).
 */
export function RecentlyDeletedDialog({
  onClose,
  onRestore,
}: {
  onClose: () => void;
  onRestore: (undoToken: string, label: string) => Promise<void>;
}) {
  const [entries, setEntries] = useState<Deleted[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function load() {
    try {
      setEntries(await call(() => api().accounts.recentlyDeleted()));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  return (
    <Dialog
      title="Recently deleted"
      onClose={onClose}
      description="Accounts you deleted in the last 15 minutes. They are forgotten for good when Chronokey locks."
    >
      <FormError message={error} />
      {entries !== null && entries.length === 0 && (
        <p className="notice">Nothing was deleted recently.</p>
      )}
      {entries !== null && entries.length > 0 && (
        <ul className="deleted-list">
          {entries.map((entry) => {
            const label = accountLabel(entry.account.issuer, entry.account.account);
            const minutes = Math.max(1, Math.round((entry.until - Date.now()) / 60_000));
            return (
              <li key={entry.undoToken} className="deleted-item">
                <span className="deleted-name">
                  <strong>{label}</strong>
                  <span className="field-hint">
                    Deleted at{' '}
                    {new Date(entry.removedAt).toLocaleTimeString(undefined, {
                      timeStyle: 'short',
                    })}
                    ; can be restored for about {minutes} more{' '}
                    {minutes === 1 ? 'minute' : 'minutes'}.
                  </span>
                </span>
                <button
                  type="button"
                  className="button"
                  disabled={busy !== null}
                  aria-label={`Restore ${label}`}
                  onClick={async () => {
                    setBusy(entry.undoToken);
                    await onRestore(entry.undoToken, label);
                    setBusy(null);
                    await load();
                  }}
                >
                  Restore
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
