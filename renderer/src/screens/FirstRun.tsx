import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import { api, call, errorMessage } from '../lib/api';
import { AppMark } from '../components/glyphs';
import { NewPasswordFields, useNewPassword } from '../components/NewPassword';

/** Creating the vault: keychain unlock by default, or a master password. */
export function FirstRun({
  status,
  onCreated,
}: {
  status: VaultStatus;
  onCreated: (status: VaultStatus, choices: { setUpBackups: boolean }) => void;
}) {
  const keychain = status.keychainAvailable;
  const [method, setMethod] = useState<'keychain' | 'password'>(keychain ? 'keychain' : 'password');
  const newPassword = useNewPassword();
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Automatic backups are off unless the user asks for them here (or later).
  const [setUpBackups, setSetUpBackups] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setFieldError(null);
    if (method === 'password') {
      const problem = newPassword.problem('a master password');
      if (problem) return setFieldError(problem);
    }
    const { password } = newPassword;
    setBusy(true);
    try {
      const next = await call(() =>
        api().vault.create(
          method === 'keychain' ? { useKeychain: true } : { useKeychain: false, password },
        ),
      );
      onCreated(next, { setUpBackups });
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <main className="centered-screen">
      <form className="card welcome-card" onSubmit={submit} noValidate>
        <div className="card-mark">
          <AppMark size={48} />
        </div>
        <h1 className="screen-title">Welcome to Chronokey</h1>
        <p className="screen-lead">
          Your sign-in codes live in an encrypted vault on this computer. Choose how to open it.
        </p>

        <fieldset className="choice-group">
          <legend className="visually-hidden">How to unlock the vault</legend>
          <label className={`choice${!keychain ? ' choice-disabled' : ''}`}>
            <input
              type="radio"
              name="method"
              value="keychain"
              checked={method === 'keychain'}
              disabled={!keychain}
              onChange={() => setMethod('keychain')}
              aria-describedby={`${id}-keychain`}
            />
            <span className="choice-text">
              <span className="choice-title">Unlock with the system keychain</span>
              <span className="choice-hint" id={`${id}-keychain`}>
                {keychain
                  ? 'Your computer keeps the key and opens the vault when you sign in: nothing to remember.'
                  : 'No system keychain was found on this computer, so a master password is needed to protect the vault.'}
              </span>
            </span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="method"
              value="password"
              checked={method === 'password'}
              onChange={() => setMethod('password')}
              aria-describedby={`${id}-password`}
            />
            <span className="choice-text">
              <span className="choice-title">Unlock with a master password</span>
              <span className="choice-hint" id={`${id}-password`}>
                You type a password each time Chronokey opens; if you forget it, the vault cannot be
                opened.
              </span>
            </span>
          </label>
        </fieldset>

        {method === 'password' && (
          <NewPasswordFields label="Master password" state={newPassword} error={fieldError} />
        )}

        <label className="choice backup-offer">
          <input
            type="checkbox"
            checked={setUpBackups}
            onChange={(event) => setSetUpBackups(event.target.checked)}
            aria-describedby={`${id}-backups`}
          />
          <span className="choice-text">
            <span className="choice-title">Set up automatic backups next</span>
            <span className="choice-hint" id={`${id}-backups`}>
              Off unless you tick this. Chronokey can keep encrypted backups in a folder you choose,
              after every change or once a day. You can turn them on later too.
            </span>
          </span>
        </label>

        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}

        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Creating vault…' : 'Create vault'}
        </button>
      </form>
    </main>
  );
}
