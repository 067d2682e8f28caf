import { useEffect, useId, useState } from 'react';
import { SettingRow } from './SettingRow';

/**
 * A whole-number setting. What is typed is saved when the field is left or Enter is pressed;
 * Escape puts the saved value back and says so, so a typed value is never dropped silently.
 */
export function NumberSetting({
  label,
  hint,
  value,
  min,
  max,
  unit,
  onSave,
}: {
  label: string;
  hint: string;
  value: number;
  min: number;
  max: number;
  /** "minutes", "seconds", "backups": how the discarded note names the value. */
  unit: string;
  onSave: (value: number) => Promise<void>;
}) {
  const id = useId();
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => setText(String(value)), [value]);

  function commit() {
    const trimmed = text.trim();
    const number = Number(trimmed);
    if (trimmed === '' || !Number.isInteger(number) || number < min || number > max) {
      setError(`Enter a whole number from ${min} to ${max}.`);
      return;
    }
    setError(null);
    setNote(null);
    if (number !== value) void onSave(number);
  }

  return (
    <SettingRow label={label} hint={hint} controlId={id}>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        className="number-input"
        min={min}
        max={max}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setNote(null);
        }}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            commit();
          } else if (event.key === 'Escape' && text !== String(value)) {
            // Discard what was typed, visibly, and keep the dialog open.
            event.preventDefault();
            event.stopPropagation();
            setText(String(value));
            setError(null);
            setNote(`Not changed: still ${value} ${unit}.`);
          }
        }}
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-error` : note ? `${id}-note` : `${id}-hint`}
      />
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
      {note && (
        <p className="field-hint" id={`${id}-note`} role="status">
          {note}
        </p>
      )}
    </SettingRow>
  );
}
