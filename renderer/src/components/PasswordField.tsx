import { forwardRef, useId, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { EyeGlyph, EyeOffGlyph } from './glyphs';

interface PasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** `new-password` for a password being chosen, `current-password` for one being asked. */
  autoComplete: 'new-password' | 'current-password' | 'off';
  disabled?: boolean;
  /** An error about this field (shown under it and announced). */
  error?: string | null;
  /** More under the field: a strength meter, a hint. */
  children?: ReactNode;
  /** The id of something else that describes the field (a strength meter). */
  describedBy?: string;
  autoFocus?: boolean;
}

/**
 * Every password field: a button shows or hides what was typed, a hint says when Caps Lock is
 * on, and errors are tied to the field for screen readers.
 */
export const PasswordField = forwardRef<HTMLInputElement, PasswordFieldProps>(
  function PasswordField(
    { label, value, onChange, autoComplete, disabled, error, children, describedBy, autoFocus },
    ref,
  ) {
    const id = useId();
    const [shown, setShown] = useState(false);
    const [capsLock, setCapsLock] = useState(false);
    const watchCaps = (event: KeyboardEvent<HTMLInputElement>) =>
      setCapsLock(event.getModifierState?.('CapsLock') === true);
    const described = [
      error ? `${id}-error` : null,
      capsLock ? `${id}-caps` : null,
      describedBy ?? null,
    ]
      .filter(Boolean)
      .join(' ');
    return (
      <div className="field password-field">
        <label htmlFor={id}>{label}</label>
        <div className="password-input">
          <input
            ref={ref}
            id={id}
            type={shown ? 'text' : 'password'}
            autoComplete={autoComplete}
            spellCheck={false}
            autoCapitalize="off"
            value={value}
            disabled={disabled}
            autoFocus={autoFocus}
            data-autofocus={autoFocus ? '' : undefined}
            onChange={(event) => onChange(event.target.value)}
            onKeyDown={watchCaps}
            onKeyUp={watchCaps}
            onBlur={() => setCapsLock(false)}
            aria-invalid={error ? true : undefined}
            aria-describedby={described || undefined}
          />
          <button
            type="button"
            className="icon-button password-toggle"
            aria-label="Show password"
            aria-controls={id}
            aria-pressed={shown}
            title={shown ? 'Hide the password' : 'Show the password'}
            disabled={disabled}
            onClick={() => setShown((current) => !current)}
          >
            {shown ? <EyeOffGlyph /> : <EyeGlyph />}
          </button>
        </div>
        {capsLock && (
          <p className="field-hint caps-hint" id={`${id}-caps`} role="status">
            Caps Lock is on.
          </p>
        )}
        {error && (
          <p className="field-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        )}
        {children}
      </div>
    );
  },
);

/**
 * The master password asked before a vault's accounts are copied somewhere new (a sync folder,
 * an automatic backup): only the person who can open the vault may decide that.
 */
export function MasterPasswordField({
  value,
  onChange,
  busy,
}: {
  value: string;
  onChange: (value: string) => void;
  busy: boolean;
}) {
  return (
    <PasswordField
      label="Your master password"
      value={value}
      onChange={onChange}
      autoComplete="current-password"
      disabled={busy}
    >
      <p className="field-hint">
        Only the person who can open the vault may decide where its accounts are copied.
      </p>
    </PasswordField>
  );
}
