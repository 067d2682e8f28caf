import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { AccountView } from '../../../../shared/domain';
import { api, call, errorMessage } from '../../lib/api';
import { isMoreThanOneLink } from '../../lib/files';
import { DialogButtons } from '../../components/FormParts';

/** "Paste a link": one otpauth:// link, or several (handed to the import). */
export function LinkForm({
  uri,
  onUri,
  onCancel,
  onAdded,
  onImport,
}: {
  uri: string;
  onUri: (uri: string) => void;
  onCancel: () => void;
  onAdded: (view: AccountView) => void;
  onImport: (text: string) => void;
}) {
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
          onChange={(event) => onUri(event.target.value)}
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
      <DialogButtons onCancel={onCancel}>
        <button type="submit" className="button button-primary" disabled={busy}>
          Add
        </button>
      </DialogButtons>
    </form>
  );
}
