import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { AccountView } from '../../../../shared/domain';
import { NameFields } from '../../components/NameFields';
import { api, call, CallError, errorCode, errorMessage } from '../../lib/api';
import type { Field, ManualFields } from './manual-fields';
import {
  ADVANCED_FIELDS,
  MIN_SECRET_BITS,
  fieldForError,
  localErrors,
  typedSecretBits,
} from './manual-fields';
import { FormError, DialogButtons } from '../../components/FormParts';

/**
 * "Enter manually": the fields of a link, typed. The fields live in the dialog (`fields`), so
 * switching to "Paste a link" and back keeps them. A key shorter than 80 bits (most likely not
 * copied whole) is pointed out, and added only after a second "Add anyway".
 */
export function ManualForm({
  fields,
  onFields,
  onCancel,
  onAdded,
}: {
  fields: ManualFields;
  onFields: (update: (current: ManualFields) => ManualFields) => void;
  onCancel: () => void;
  onAdded: (view: AccountView) => void;
}) {
  const [shortAccepted, setShortAccepted] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [advanced, setAdvanced] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const set = <K extends keyof ManualFields>(key: K, value: ManualFields[K]) => {
    onFields((current) => ({ ...current, [key]: value }));
    if (key === 'secret') setShortAccepted(false);
    setErrors((current) => {
      if (!(key in current)) return current;
      const copy = { ...current };
      delete copy[key as Field];
      return copy;
    });
  };

  const bits = typedSecretBits(fields.secret);
  const short = bits > 0 && bits < MIN_SECRET_BITS;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const found = localErrors(fields);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      if (ADVANCED_FIELDS.some((field) => found[field])) setAdvanced(true);
      focusFirstInvalid(event.currentTarget as HTMLFormElement);
      return;
    }
    if (short && !shortAccepted) {
      // The warning is already under the key; a second Add goes ahead.
      setShortAccepted(true);
      return;
    }
    setBusy(true);
    const form = event.currentTarget as HTMLFormElement;
    try {
      const view = await call(() =>
        api().accounts.create({
          type: fields.type,
          issuer: fields.issuer.trim(),
          account: fields.account.trim(),
          secret: fields.secret,
          algorithm: fields.algorithm,
          digits: fields.type === 'steam' ? 5 : Number(fields.digits),
          period: Number(fields.period),
          counter: Number(fields.counter),
        }),
      );
      onAdded(view);
    } catch (caught) {
      setBusy(false);
      const field = caught instanceof CallError ? fieldForError(errorCode(caught)) : null;
      if (field) {
        setErrors({ [field]: errorMessage(caught) });
        if (ADVANCED_FIELDS.includes(field)) setAdvanced(true);
        window.requestAnimationFrame(() => focusFirstInvalid(form));
      } else {
        setFormError(errorMessage(caught));
      }
    }
  }

  const describe = (field: Field) => (errors[field] ? `${id}-${field}-error` : undefined);
  const fieldError = (field: Field) =>
    errors[field] ? (
      <p className="field-error" id={`${id}-${field}-error`} role="alert">
        {errors[field]}
      </p>
    ) : null;

  return (
    <form onSubmit={submit} noValidate className="form">
      <NameFields
        issuer={fields.issuer}
        account={fields.account}
        onIssuer={(value) => set('issuer', value)}
        onAccount={(value) => set('account', value)}
        error={errors.issuer}
        first
      />
      <div className="field">
        <label htmlFor={`${id}-secret`}>Secret key</label>
        <input
          id={`${id}-secret`}
          className="mono"
          autoComplete="off"
          spellCheck={false}
          placeholder="JBSW Y3DP EHPK 3PXP"
          value={fields.secret}
          onChange={(event) => set('secret', event.target.value)}
          aria-invalid={!!errors.secret}
          aria-describedby={describe('secret') ?? (short ? `${id}-short` : undefined)}
        />
        {fieldError('secret')}
        {short && !errors.secret && (
          <p className="field-warning" id={`${id}-short`} role="status">
            This key is only {bits} bits long ({fields.secret.replace(/[\s=-]/g, '').length}{' '}
            characters); sites give at least {MIN_SECRET_BITS} bits (16 characters). Check that you
            copied all of it.{shortAccepted ? ' Choose Add anyway to add it as it is.' : ''}
          </p>
        )}
      </div>

      <button
        type="button"
        className="disclosure"
        aria-expanded={advanced}
        aria-controls={`${id}-advanced`}
        onClick={() => setAdvanced((open) => !open)}
      >
        <span className="disclosure-arrow" aria-hidden="true" />
        Advanced
      </button>
      <div id={`${id}-advanced`} className="advanced" hidden={!advanced}>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-type`}>Type</label>
            <select
              id={`${id}-type`}
              value={fields.type}
              onChange={(event) => set('type', event.target.value as ManualFields['type'])}
            >
              <option value="totp">TOTP (changes with time)</option>
              <option value="hotp">HOTP (counter)</option>
              <option value="steam">Steam</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-algorithm`}>Algorithm</label>
            <select
              id={`${id}-algorithm`}
              value={fields.algorithm}
              onChange={(event) =>
                set('algorithm', event.target.value as ManualFields['algorithm'])
              }
              aria-invalid={!!errors.algorithm}
              aria-describedby={describe('algorithm')}
            >
              <option value="SHA1">SHA1</option>
              <option value="SHA256">SHA256</option>
              <option value="SHA512">SHA512</option>
            </select>
            {fieldError('algorithm')}
          </div>
        </div>
        <div className="field-row field-row-3">
          <div className="field">
            <label htmlFor={`${id}-digits`}>Digits</label>
            <input
              id={`${id}-digits`}
              type="number"
              inputMode="numeric"
              min={6}
              max={10}
              value={fields.type === 'steam' ? '5' : fields.digits}
              disabled={fields.type === 'steam'}
              onChange={(event) => set('digits', event.target.value)}
              aria-invalid={!!errors.digits}
              aria-describedby={describe('digits')}
            />
            {fieldError('digits')}
          </div>
          <div className="field">
            <label htmlFor={`${id}-period`}>Period (seconds)</label>
            <input
              id={`${id}-period`}
              type="number"
              inputMode="numeric"
              min={1}
              value={fields.period}
              disabled={fields.type === 'hotp'}
              onChange={(event) => set('period', event.target.value)}
              aria-invalid={!!errors.period}
              aria-describedby={describe('period')}
            />
            {fieldError('period')}
          </div>
          <div className="field">
            <label htmlFor={`${id}-counter`}>Counter</label>
            <input
              id={`${id}-counter`}
              type="number"
              inputMode="numeric"
              min={0}
              value={fields.counter}
              disabled={fields.type !== 'hotp'}
              onChange={(event) => set('counter', event.target.value)}
              aria-invalid={!!errors.counter}
              aria-describedby={describe('counter')}
            />
            {fieldError('counter')}
          </div>
        </div>
      </div>

      <FormError message={formError} />
      <DialogButtons onCancel={onCancel}>
        <button type="submit" className="button button-primary" disabled={busy}>
          {short && shortAccepted ? 'Add anyway' : 'Add'}
        </button>
      </DialogButtons>
    </form>
  );
}

function focusFirstInvalid(form: HTMLFormElement) {
  window.requestAnimationFrame(() =>
    form.querySelector<HTMLElement>('[aria-invalid="true"]:not([disabled])')?.focus(),
  );
}
