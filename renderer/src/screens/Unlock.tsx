import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import type { LockNote } from '../App';
import { LockGlyph } from '../components/glyphs';
import { PasswordField } from '../components/PasswordField';
import { api, call, errorCode, errorMessage } from '../lib/api';

/** After a wrong password, wait this long before saying so (slows down guessing). */
const WRONG_PASSWORD_DELAY_MS = 600;

/** The lock screen's first sentence: why Chronokey is locked. */
export function lockSentence(note: LockNote | null): string | null {
  if (!note) return null;
  switch (note.reason) {
    case 'idle':
      return note.minutes
        ? `Locked after ${note.minutes} ${note.minutes === 1 ? 'minute' : 'minutes'} without use.`
        : 'Locked after a while without use.';
    case 'suspend':
      return 'Locked when the computer went to sleep.';
    case 'screen-lock':
      return 'Locked when the screen was locked.';
    case 'error':
      return 'Locked to be safe: Chronokey could not check the vault just now.';
    case 'manual':
      return 'You locked Chronokey.';
  }
}

/**
 * The lock screen says why it locked and opens the vault the way its settings say: with the
 * system keychain when the vault has a keychain slot (the master password, if there is one, is
 * the other way in), with the master password otherwise.
 */
export function Unlock({
  status,
  lockedBecause,
  onUnlocked,
}: {
  status: VaultStatus;
  lockedBecause: LockNote | null;
  onUnlocked: (status: VaultStatus) => void;
}) {
  const hasPassword = status.slots.includes('password');
  const keychainWay = status.slots.includes('keychain') && status.keychainAvailable;
  // Keychain-only but the keychain cannot be reached: the button retries the keychain.
  const [withPassword, setWithPassword] = useState(hasPassword && !keychainWay);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    (withPassword ? input.current : button.current)?.focus();
  }, [withPassword]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (withPassword && password === '') {
      setError('Type your master password to unlock.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const next = await call(() => api().vault.unlock(withPassword ? { password } : {}));
      onUnlocked(next);
    } catch (caught) {
      if (errorCode(caught) === 'VAULT_WRONG_PASSWORD') {
        await new Promise((resolve) => window.setTimeout(resolve, WRONG_PASSWORD_DELAY_MS));
        setPassword('');
      }
      setError(errorMessage(caught));
      setBusy(false);
      window.requestAnimationFrame(() => input.current?.select());
    }
  }

  const why = lockSentence(lockedBecause);
  return (
    <main className="centered-screen">
      <form className="card unlock-card" onSubmit={submit} noValidate>
        <div className="lock-badge" aria-hidden="true">
          <LockGlyph size={28} />
        </div>
        <h1 className="screen-title">Chronokey is locked</h1>
        {why && (
          <p className="lock-reason" role="status">
            {why}
          </p>
        )}
        <p className="screen-lead">
          {withPassword
            ? 'Enter your master password to see your codes.'
            : keychainWay
              ? 'Your system keychain holds the key to this vault: no password is needed here.'
              : 'Only the system keychain opens this vault, and it cannot be reached now. Make sure it is running and unlocked, then try again.'}
        </p>
        {withPassword && (
          <PasswordField
            ref={input}
            label="Master password"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
            disabled={busy}
            error={error}
          />
        )}
        {error && !withPassword && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button
          ref={button}
          type="submit"
          className="button button-primary button-block"
          aria-busy={busy}
        >
          {busy ? 'Unlocking…' : !withPassword && !keychainWay ? 'Try again' : 'Unlock'}
        </button>
        {keychainWay && hasPassword && (
          <button
            type="button"
            className="disclosure unlock-switch"
            onClick={() => {
              setError(null);
              setWithPassword((current) => !current);
            }}
          >
            {withPassword
              ? 'Unlock with the system keychain instead'
              : 'Use the master password instead'}
          </button>
        )}
      </form>
    </main>
  );
}
