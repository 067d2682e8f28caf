import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import { api, call, errorCode, errorMessage } from '../lib/api';
import { LockGlyph } from '../components/glyphs';

/** After a wrong password, wait this long before saying so (slows down guessing). */
const WRONG_PASSWORD_DELAY_MS = 600;

export function Unlock({
  status,
  onUnlocked,
}: {
  status: VaultStatus;
  onUnlocked: (status: VaultStatus) => void;
}) {
  const usesPassword = status.slots.includes('password');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    (usesPassword ? input.current : button.current)?.focus();
  }, [usesPassword]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (usesPassword && password === '') {
      setError('Type your master password to unlock.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const next = await call(() => api().vault.unlock(usesPassword ? { password } : {}));
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

  return (
    <main className="centered-screen">
      <form className="card unlock-card" onSubmit={submit} noValidate>
        <div className="lock-badge" aria-hidden="true">
          <LockGlyph size={28} />
        </div>
        <h1 className="screen-title">Chronokey is locked</h1>
        <p className="screen-lead">
          {usesPassword
            ? 'Enter your master password to see your codes.'
            : 'Your system keychain holds the key to this vault.'}
        </p>
        {usesPassword && (
          <div className="field">
            <label htmlFor={`${id}-password`}>Master password</label>
            <input
              ref={input}
              id={`${id}-password`}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={error !== null}
              aria-describedby={error ? `${id}-error` : undefined}
              disabled={busy}
            />
          </div>
        )}
        {error && (
          <p className="form-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        )}
        <button
          ref={button}
          type="submit"
          className="button button-primary button-block"
          aria-busy={busy}
        >
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </main>
  );
}
