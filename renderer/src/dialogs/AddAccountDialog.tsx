import { useId, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import type { ManualAccount } from '../../../shared/contract';
import type { AccountView } from '../../../shared/domain';
import { Dialog } from '../components/Dialog';
import { api, call, CallError, errorCode, errorMessage } from '../lib/api';
import { isMoreThanOneLink } from '../lib/files';

type Tab = 'link' | 'manual';
type Field = 'issuer' | 'account' | 'secret' | 'digits' | 'period' | 'counter' | 'algorithm';

/** Which field a core error code belongs to, so the message appears right under it. */
export function fieldForError(code: string): Field | null {
  if (code.startsWith('SECRET_')) return 'secret';
  if (code === 'DIGITS_INVALID') return 'digits';
  if (code === 'PERIOD_INVALID') return 'period';
  if (code === 'COUNTER_INVALID' || code === 'COUNTER_MISSING') return 'counter';
  if (code === 'ALGORITHM_UNSUPPORTED') return 'algorithm';
  if (code === 'LABEL_TOO_LONG') return 'issuer';
  return null;
}

const ADVANCED_FIELDS: readonly Field[] = ['digits', 'period', 'counter', 'algorithm'];

export function AddAccountDialog({
  initialUri,
  onClose,
  onAdded,
  onImport,
}: {
  /** An otpauth:// link opened with Chronokey: the link form starts with it. */
  initialUri?: string | undefined;
  onClose: () => void;
  onAdded: (view: AccountView) => void;
  /** Opens the import: with text holding several links, or empty to pick another source. */
  onImport: (text?: string) => void;
}) {
  const [tab, setTab] = useState<Tab>('link');
  const id = useId();
  const tabs = useRef<Record<Tab, HTMLButtonElement | null>>({ link: null, manual: null });

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    const next: Tab =
      event.key === 'Home'
        ? 'link'
        : event.key === 'End'
          ? 'manual'
          : tab === 'link'
            ? 'manual'
            : 'link';
    setTab(next);
    tabs.current[next]?.focus();
  }

  return (
    <Dialog title="Add account" onClose={onClose} initialFocus="[data-initial]" wide>
      <div className="tabs" role="tablist" aria-label="How to add the account">
        {(['link', 'manual'] as const).map((value) => (
          <button
            key={value}
            ref={(element) => {
              tabs.current[value] = element;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${value}`}
            aria-selected={tab === value}
            aria-controls={`${id}-panel-${value}`}
            tabIndex={tab === value ? 0 : -1}
            className="tab"
            onClick={() => setTab(value)}
            onKeyDown={onTabKey}
          >
            {value === 'link' ? 'Paste a link' : 'Enter manually'}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${id}-panel-${tab}`}
        aria-labelledby={`${id}-tab-${tab}`}
        className="tab-panel"
      >
        {tab === 'link' ? (
          <LinkForm
            initialUri={initialUri}
            onClose={onClose}
            onAdded={onAdded}
            onImport={onImport}
          />
        ) : (
          <ManualForm onClose={onClose} onAdded={onAdded} />
        )}
      </div>
      <p className="import-offer">
        Several accounts, a picture of a QR code or another app’s backup?{' '}
        <button type="button" className="link-button" onClick={() => onImport()}>
          Import from a picture, the screen or another app
        </button>
      </p>
    </Dialog>
  );
}

function LinkForm({
  initialUri,
  onClose,
  onAdded,
  onImport,
}: {
  initialUri?: string | undefined;
  onClose: () => void;
  onAdded: (view: AccountView) => void;
  onImport: (text: string) => void;
}) {
  const [uri, setUri] = useState(initialUri ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (uri.trim() === '') {
      setError('Paste the otpauth:// link the site shows next to its QR code.');
      return;
    }
    // Several links (or a link inside other text): the import finds and previews them all.
    if (isMoreThanOneLink(uri)) {
      onImport(uri);
      return;
    }
    setBusy(true);
    try {
      onAdded(await call(() => api().accounts.add({ uri: uri.trim() })));
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="form">
      <div className="field">
        <label htmlFor={`${id}-uri`}>otpauth link</label>
        <textarea
          id={`${id}-uri`}
          data-initial
          className="mono"
          rows={3}
          spellCheck={false}
          autoComplete="off"
          placeholder="otpauth://totp/Example:you@example.com?secret=…"
          value={uri}
          onChange={(event) => setUri(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
          aria-invalid={error !== null}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
        />
        {error ? (
          <p className="field-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        ) : (
          <p className="field-hint" id={`${id}-hint`}>
            Most sites offer a link or a “can’t scan?” option beside the QR code. Several links at
            once are fine too.
          </p>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          Add
        </button>
      </div>
    </form>
  );
}

interface ManualFields {
  type: ManualAccount['type'];
  issuer: string;
  account: string;
  secret: string;
  algorithm: ManualAccount['algorithm'];
  digits: string;
  period: string;
  counter: string;
}

function ManualForm({
  onClose,
  onAdded,
}: {
  onClose: () => void;
  onAdded: (view: AccountView) => void;
}) {
  const [fields, setFields] = useState<ManualFields>({
    type: 'totp',
    issuer: '',
    account: '',
    secret: '',
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
    counter: '0',
  });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [advanced, setAdvanced] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const set = <K extends keyof ManualFields>(key: K, value: ManualFields[K]) => {
    setFields((current) => ({ ...current, [key]: value }));
    setErrors((current) => {
      if (!(key in current)) return current;
      const copy = { ...current };
      delete copy[key as Field];
      return copy;
    });
  };

  function localErrors(): Partial<Record<Field, string>> {
    const found: Partial<Record<Field, string>> = {};
    if (fields.issuer.trim() === '' && fields.account.trim() === '') {
      found.issuer = 'Give the account a name: the site (issuer), your account name, or both.';
    }
    if (fields.secret.trim() === '') {
      found.secret = 'The secret key is empty. Copy the whole key from the site and try again.';
    }
    const whole = (value: string) => /^\d+$/.test(value.trim());
    if (!whole(fields.digits)) found.digits = 'Digits must be a whole number, usually 6.';
    if (fields.type !== 'hotp' && !whole(fields.period)) {
      found.period = 'The period must be a whole number of seconds, usually 30.';
    }
    if (fields.type === 'hotp' && !whole(fields.counter)) {
      found.counter = 'The counter must be a whole number, usually 0.';
    }
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const found = localErrors();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      if (ADVANCED_FIELDS.some((field) => found[field])) setAdvanced(true);
      focusFirstInvalid(event.currentTarget as HTMLFormElement);
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
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-issuer`}>Issuer</label>
          <input
            id={`${id}-issuer`}
            data-initial
            autoComplete="off"
            placeholder="e.g. GitHub"
            value={fields.issuer}
            onChange={(event) => set('issuer', event.target.value)}
            aria-invalid={!!errors.issuer}
            aria-describedby={describe('issuer')}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-account`}>Account name</label>
          <input
            id={`${id}-account`}
            autoComplete="off"
            placeholder="e.g. you@example.com"
            value={fields.account}
            onChange={(event) => set('account', event.target.value)}
          />
        </div>
      </div>
      {fieldError('issuer')}
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
          aria-describedby={describe('secret')}
        />
        {fieldError('secret')}
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

      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          Add
        </button>
      </div>
    </form>
  );
}

function focusFirstInvalid(form: HTMLFormElement) {
  window.requestAnimationFrame(() =>
    form.querySelector<HTMLElement>('[aria-invalid="true"]:not([disabled])')?.focus(),
  );
}
