import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ExportFormat, ExportResult } from '../../../shared/contract';
import { Dialog } from '../components/Dialog';
import { NewPasswordFields, useNewPassword } from '../components/NewPassword';
import { api, call, errorCode, errorMessage } from '../lib/api';
import { FormError, DialogButtons } from '../components/FormParts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const TITLES: Record<ExportFormat, string> = {
  chronokey: 'Export encrypted backup',
  aegis: 'Export for Aegis',
  otpauth: 'Export otpauth links',
  kdbx: 'Export for KeePassXC',
};

interface ExportDialogProps {
  format: ExportFormat;
  accountCount: number;
  onClose: () => void;
  onLocked: () => void;
}

/**
 * Saving the vault to a file. Encrypted formats ask for a password twice, with strength
 * feedback; the core writes the file, reads it back and decrypts it, and only a `verified`
 * answer is reported as a good backup. The plain list of links needs an explicit "I understand".
 */
export function ExportDialog({ format, accountCount, onClose, onLocked }: ExportDialogProps) {
  const encrypted = format !== 'otpauth';
  const newPassword = useNewPassword();
  const [understood, setUnderstood] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFieldError(null);
    setError(null);
    const { password } = newPassword;
    if (encrypted) {
      const problem = newPassword.problem('a password for the backup');
      if (problem) return setFieldError(problem);
    } else if (!understood) {
      return setFieldError('Tick the box to confirm you understand the file is not protected.');
    }
    setBusy(true);
    setResult(null);
    try {
      const saved = await call(() =>
        api().backup.export(encrypted ? { format, password } : { format }),
      );
      // null: the user closed the save dialog; nothing was written.
      if (saved) {
        setResult(saved);
        newPassword.clear();
      }
    } catch (caught) {
      if (errorCode(caught) === 'VAULT_LOCKED') return onLocked();
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  const done = result?.verified === true;

  return (
    <Dialog
      title={TITLES[format]}
      onClose={onClose}
      wide
      description={
        format === 'chronokey'
          ? `One file with all ${plural(accountCount, 'account', 'accounts')}, their tags, order and counters, encrypted with a password you choose. Chronokey reads the file back to check it before saying it is saved.`
          : format === 'aegis'
            ? 'An encrypted Aegis vault file (Aegis Authenticator for Android can import it), protected by a password you choose.'
            : format === 'kdbx'
              ? 'A KeePassXC database (KeePass 2 reads it too), protected by a password you choose: one entry per account with its code in the entry’s one-time password, and its tags.'
              : undefined
      }
    >
      {done && result ? (
        <div className="export-result">
          <p className="notice notice-success" role="status">
            {format === 'otpauth'
              ? `Links saved and checked: ${plural(result.accounts, 'account', 'accounts')}`
              : `Backup saved and verified: ${plural(result.accounts, 'account', 'accounts')}`}
          </p>
          <p className="field-hint">
            Saved to <span className="path">{result.path}</span>
          </p>
          {encrypted && (
            <p className="field-hint">
              Keep the password somewhere safe: without it, this backup cannot be opened.
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="form" onSubmit={submit} noValidate aria-busy={busy}>
          {encrypted ? (
            <NewPasswordFields label="Backup password" state={newPassword} disabled={busy} />
          ) : (
            <div className="danger-box">
              <p>
                <strong>This file is not encrypted.</strong> It lists every account’s secret key as
                an otpauth:// link. Anyone who opens it, or any program that reads it, can copy all
                your accounts.
              </p>
              <p>Use it only to move to an app that reads such lists, then delete the file.</p>
              <label className="check">
                <input
                  type="checkbox"
                  checked={understood}
                  disabled={busy}
                  onChange={(event) => setUnderstood(event.target.checked)}
                />
                <span>I understand the file is not protected</span>
              </label>
            </div>
          )}
          {fieldError && (
            <p className="field-error" role="alert">
              {fieldError}
            </p>
          )}
          {busy && (
            <div className="progress-line">
              <div
                className="progress-indeterminate"
                role="progressbar"
                aria-label={encrypted ? 'Encrypting and checking the backup' : 'Saving the links'}
              />
              <span>
                {encrypted
                  ? 'Encrypting, then reading the file back to check it. This takes a few seconds…'
                  : 'Saving…'}
              </span>
            </div>
          )}
          {result && !result.verified && encrypted && (
            <p className="form-error" role="alert">
              The file at {result.path} could not be read back correctly, so it is not a backup you
              can rely on. Try again, or save it in another folder.
            </p>
          )}
          <FormError message={error} />
          <DialogButtons onCancel={onClose}>
            <button
              type="submit"
              className={`button ${encrypted ? 'button-primary' : 'button-danger'}`}
              disabled={busy}
            >
              {busy ? 'Saving…' : encrypted ? 'Save backup' : 'Save links'}
            </button>
          </DialogButtons>
        </form>
      )}
    </Dialog>
  );
}
