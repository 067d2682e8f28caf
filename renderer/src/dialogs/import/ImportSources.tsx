import { useId } from 'react';
import type { FormEvent } from 'react';

/** Where the import looks: pasted text or links, files, the screen (and anything dropped). */
export function ImportSources({
  text,
  onText,
  onFind,
  onOpenFiles,
  onScan,
  busy,
  compact,
  dragging,
}: {
  text: string;
  onText: (text: string) => void;
  onFind: () => void;
  onOpenFiles: () => void;
  onScan: () => void;
  busy: boolean;
  /** A preview is showing: the sources take less room. */
  compact: boolean;
  dragging: boolean;
}) {
  const id = useId();
  return (
    <section
      className={`import-sources${dragging ? ' is-drop-target' : ''}${compact ? ' is-compact' : ''}`}
      aria-label="Where to find accounts"
    >
      <form
        className="import-text"
        noValidate
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          onFind();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-text`}>Text or links</label>
          <textarea
            id={`${id}-text`}
            data-initial
            className="mono"
            rows={compact ? 1 : 3}
            spellCheck={false}
            autoComplete="off"
            placeholder="otpauth:// links, one or many, with any text around them"
            value={text}
            onChange={(event) => onText(event.target.value)}
          />
        </div>
        <button type="submit" className="button" disabled={busy}>
          Find accounts
        </button>
      </form>
      <div className="import-source-buttons">
        <button type="button" className="button" onClick={onOpenFiles} disabled={busy}>
          Open files…
        </button>
        <button type="button" className="button" onClick={onScan} disabled={busy}>
          Scan screen
        </button>
      </div>
      {(dragging || !compact) && (
        <p className="field-hint">
          {dragging
            ? 'Drop the files to look for accounts in them.'
            : 'Pictures of QR codes (PNG, JPEG, WebP) or backups from Aegis, 2FAS, Ente Auth, Bitwarden, andOTP, Authenticator Pro or FreeOTP+. You can also drop files here or paste a picture with Ctrl+V.'}
        </p>
      )}
    </section>
  );
}
