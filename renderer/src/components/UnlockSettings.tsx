import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import { api, call, errorMessage } from '../lib/api';
import { NewPasswordFields, useNewPassword } from './NewPassword';
import { PasswordField } from './PasswordField';
import { FormError } from './FormParts';

type Way = 'keychain' | 'password';

/**
 * How the vault opens, said the way the lock screen will behave: with the system keychain (no
 * password asked; a master password, if set, is the way in where the keychain is not
 * available), or with the master password every time (the keychain holds nothing). Switching
 * either way, and changing or removing the password, needs the current master password.
 */
export function UnlockSettings({
  status,
  onStatus,
  onDone,
}: {
  status: VaultStatus;
  onStatus: (status: VaultStatus) => void;
  onDone: (message: string) => void;
}) {
  const id = useId();
  const hasPassword = status.slots.includes('password');
  const way: Way = status.slots.includes('keychain') ? 'keychain' : 'password';
  const [current, setCurrent] = useState('');
  const newPassword = useNewPassword();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(work: () => Promise<VaultStatus>, message: string) {
    setError(null);
    setBusy(true);
    try {
      onStatus(await work());
      onDone(message);
      setCurrent('');
      newPassword.clear();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  function choose(next: Way) {
    if (next === way) return;
    if (!hasPassword) {
      return setError(
        'Set a master password first (below): without the keychain it is the only way in.',
      );
    }
    if (current === '') {
      return setError('Type your current master password to change how Chronokey unlocks.');
    }
    void run(
      () =>
        call(() =>
          api().vault.setKeychain({ enabled: next === 'keychain', currentPassword: current }),
        ),
      next === 'keychain'
        ? 'Chronokey now opens without a password, with the system keychain.'
        : 'Chronokey now asks for the master password every time.',
    );
  }

  function submitPassword(event: FormEvent) {
    event.preventDefault();
    if (hasPassword && current === '') return setError('Type your current master password.');
    const problem = newPassword.problem('a new master password');
    if (problem) return setError(problem);
    const { password } = newPassword;
    void run(
      () =>
        call(() =>
          api().vault.setPassword(
            hasPassword ? { password, currentPassword: current } : { password },
          ),
        ),
      hasPassword ? 'Master password changed.' : 'Master password set.',
    );
  }

  const keychainPossible = status.keychainAvailable || way === 'keychain';

  return (
    <section className="settings-section" aria-labelledby={`${id}-unlock`}>
      <h3 className="section-title" id={`${id}-unlock`}>
        Unlocking
      </h3>
      <fieldset className="choice-group" disabled={busy}>
        <legend className="setting-label">When Chronokey opens or unlocks</legend>
        <label className={`choice${keychainPossible ? '' : ' choice-disabled'}`}>
          <input
            type="radio"
            name={`${id}-way`}
            checked={way === 'keychain'}
            disabled={!keychainPossible}
            onChange={() => choose('keychain')}
          />
          <span className="choice-text">
            <span className="choice-title">Open without a password, with the system keychain</span>
            <span className="choice-hint">
              {keychainPossible
                ? hasPassword
                  ? 'Your computer keeps the key. Your master password still opens the vault where the keychain is not available.'
                  : 'Your computer keeps the key, so there is no password to type.'
                : 'No system keychain was found on this computer, so this is not available.'}
            </span>
          </span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name={`${id}-way`}
            checked={way === 'password'}
            onChange={() => choose('password')}
          />
          <span className="choice-text">
            <span className="choice-title">Ask for my master password every time</span>
            <span className="choice-hint">
              The keychain holds nothing; without the password the vault cannot be opened.
            </span>
          </span>
        </label>
      </fieldset>

      <form className="password-form" onSubmit={submitPassword} noValidate>
        <p className="setting-hint">
          {hasPassword
            ? 'Your master password. Type it to change how Chronokey unlocks, or to change or remove it.'
            : 'Add a master password to open the vault where the keychain is not available.'}
        </p>
        {hasPassword && (
          <PasswordField
            label="Current master password"
            value={current}
            onChange={setCurrent}
            autoComplete="current-password"
            disabled={busy}
          />
        )}
        <NewPasswordFields
          label={hasPassword ? 'New master password' : 'Master password'}
          state={newPassword}
          disabled={busy}
        />
        <FormError message={error} />
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {hasPassword ? 'Change master password' : 'Set master password'}
          </button>
          {hasPassword && way === 'keychain' && (
            <button
              type="button"
              className="button button-danger-quiet"
              disabled={busy}
              onClick={() => {
                if (current === '') return setError('Type your current master password.');
                void run(
                  () => call(() => api().vault.removePassword({ currentPassword: current })),
                  'Master password removed. The system keychain unlocks Chronokey.',
                );
              }}
            >
              Remove master password
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
