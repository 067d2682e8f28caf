import { useState } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import { api, call, errorMessage } from '../lib/api';
import '../styles/system.css';

/**
 * Says plainly when the vault file in place is older than one this computer saw before (a copy
 * put back, a sync engine restoring an old version): accounts removed since may be back. HOTP
 * counters are already kept at their highest by main. "Keep this version" writes the file as
 * the newest generation, which ends the warning.
 */
export function RollbackBanner({
  status,
  onStatus,
}: {
  status: VaultStatus;
  onStatus: (status: VaultStatus) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (status.state !== 'unlocked' || !status.rollback) return null;

  async function keep() {
    setBusy(true);
    setError(null);
    try {
      onStatus(await call(() => api().vault.acknowledgeRollback()));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="clock-banner" role="alert" aria-labelledby="rollback-banner-title">
      <div className="clock-banner-text">
        <p className="clock-banner-title" id="rollback-banner-title">
          This vault is an older copy than the one Chronokey last saw here
        </p>
        <p>
          It may have been put back from a backup or by a sync service. Accounts you removed since
          may be back, and recent changes may be missing. Counter-based (HOTP) codes are kept at
          their highest, so no code is offered twice. If you did not restore it on purpose, close
          Chronokey and put the newer vault.ckv back.
        </p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button type="button" className="button" disabled={busy} onClick={() => void keep()}>
        Keep this version
      </button>
    </div>
  );
}
