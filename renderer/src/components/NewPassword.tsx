import { useId, useState } from 'react';
import { MIN_PASSWORD_SCORE } from '../../../shared/password-strength';
import { PasswordField } from './PasswordField';
import { PasswordStrength, useStrength } from './PasswordStrength';

/** A password being chosen: typed twice, measured as it is typed. */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const strength = useStrength(password);
  return {
    password,
    repeat,
    setPassword,
    setRepeat,
    strength,
    /** Why it cannot be used yet, in a sentence; null when it can. */
    problem(what: string): string | null {
      if (password === '') return `Choose ${what}.`;
      if (strength && strength.score < MIN_PASSWORD_SCORE) {
        return 'This password is too easy to guess. Add a few more words that do not belong together.';
      }
      if (password !== repeat) return 'The two passwords are not the same.';
      return null;
    },
    clear() {
      setPassword('');
      setRepeat('');
    },
  };
}

export type NewPasswordState = ReturnType<typeof useNewPassword>;

/**
 * The fields for choosing a password (the master password, the sync password, an export's):
 * the same strength meter and floor everywhere, the same as main checks.
 */
export function NewPasswordFields({
  label,
  state,
  disabled,
  error,
}: {
  label: string;
  state: NewPasswordState;
  disabled?: boolean;
  error?: string | null;
}) {
  const id = useId();
  return (
    <div className="field-stack">
      <PasswordField
        label={label}
        value={state.password}
        onChange={state.setPassword}
        autoComplete="new-password"
        describedBy={`${id}-strength`}
        {...(disabled !== undefined && { disabled })}
      >
        <PasswordStrength id={`${id}-strength`} strength={state.strength} />
      </PasswordField>
      <PasswordField
        label={`Repeat ${label.charAt(0).toLowerCase()}${label.slice(1)}`}
        value={state.repeat}
        onChange={state.setRepeat}
        autoComplete="new-password"
        error={error ?? null}
        {...(disabled !== undefined && { disabled })}
      />
    </div>
  );
}
