import { useCallback, useEffect, useRef, useState } from 'react';
import { Dialog } from '../components/Dialog';
import { api, call, errorCode, errorMessage } from '../lib/api';

/** One QR code as main drew it (SVG text), and where it sits in the series (1-based). */
interface TransferCode {
  svg: string;
  index: number;
  total: number;
}

/** Accounts a Google Authenticator export cannot carry, with the core's reason. */
interface Skipped {
  id: string;
  name: string;
  reason: string;
}

interface TransferDialogProps {
  /** One account's own otpauth QR; without it, Google Authenticator export codes for all. */
  account?: { id: string; label: string };
  /** How many accounts the export codes will hold (for the confirmation's wording). */
  accountCount: number;
  onClose: () => void;
  onLocked: () => void;
}

type State =
  | { kind: 'confirm'; hiddenBecause?: string }
  | { kind: 'loading' }
  | { kind: 'shown'; codes: TransferCode[]; skipped: Skipped[]; at: number }
  | { kind: 'error'; message: string };

function svgSource(svg: string): string {
  // An <img> with a data: URL shows the SVG without running anything inside it.
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** Asks main to keep the window out of screenshots and screen shares while codes show. */
async function protectWindow(enabled: boolean): Promise<void> {
  // Where the system cannot protect the window (Linux), the codes still show: the user was
  // warned, and the transfer is theirs to make.
  await call(() => api().system.protectScreen({ enabled })).catch(() => undefined);
}

/**
 * Transfer to a phone: QR codes that hold secrets, shown only after the user confirms, hidden
 * again when the window loses focus (and gone when the vault locks, which unmounts this).
 */
export function TransferDialog({ account, accountCount, onClose, onLocked }: TransferDialogProps) {
  const [state, setState] = useState<State>({ kind: 'confirm' });
  const shown = state.kind === 'shown';
  const onLockedRef = useRef(onLocked);
  onLockedRef.current = onLocked;

  const show = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      await protectWindow(true);
      if (account) {
        const { svg } = await call(() => api().transfer.accountQr({ id: account.id }));
        setState({ kind: 'shown', codes: [{ svg, index: 1, total: 1 }], skipped: [], at: 0 });
      } else {
        const { codes, skipped } = await call(() => api().transfer.migrationQrs({}));
        setState({ kind: 'shown', codes, skipped, at: 0 });
      }
    } catch (caught) {
      await protectWindow(false);
      if (errorCode(caught) === 'VAULT_LOCKED') return onLockedRef.current();
      // The person said no in main's own confirmation: back to where they were, no error.
      if (errorCode(caught) === 'TRANSFER_NOT_CONFIRMED') return setState({ kind: 'confirm' });
      setState({ kind: 'error', message: errorMessage(caught) });
    }
  }, [account]);

  // Hide the codes as soon as the window is left (another app, a screenshot tool, a switch).
  useEffect(() => {
    if (!shown) return undefined;
    const hide = () =>
      setState({
        kind: 'confirm',
        hiddenBecause: 'The codes were hidden because Chronokey lost focus.',
      });
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') hide();
    };
    window.addEventListener('blur', hide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('blur', hide);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [shown]);

  // Screen-capture protection follows the codes: off again once they are gone.
  useEffect(() => {
    if (!shown) return undefined;
    return () => void protectWindow(false);
  }, [shown]);

  const title = account ? `QR code for ${account.label}` : 'Transfer to a phone';

  if (state.kind !== 'shown') {
    const what = account
      ? `the secret key of ${account.label}`
      : `all ${accountCount} ${accountCount === 1 ? 'account' : 'accounts'}`;
    return (
      <Dialog
        key="confirm"
        title={title}
        role="alertdialog"
        onClose={onClose}
        initialFocus="[data-cancel]"
        description={`Anyone who sees these codes can copy your accounts. The codes hold ${what}.`}
      >
        <div className="transfer-warning">
          {state.kind === 'confirm' && state.hiddenBecause && (
            <p className="notice" role="status">
              {state.hiddenBecause}
            </p>
          )}
          <p>
            Check that no one is looking at your screen and that nothing is recording or sharing it.
            Chronokey hides the codes when you switch away or lock it. Chronokey asks once more in a
            window of its own before it shows them.
          </p>
          {!account && (
            <p className="field-hint">
              On your phone, open Google Authenticator (or an app that reads its export codes),
              choose to import or transfer accounts, and scan each code in turn.
            </p>
          )}
          {state.kind === 'error' && (
            <p className="form-error" role="alert">
              {state.message}
            </p>
          )}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" data-cancel onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={state.kind === 'loading' || (!account && accountCount === 0)}
            onClick={() => void show()}
          >
            {state.kind === 'loading'
              ? 'Waiting for your answer…'
              : account
                ? 'Show QR code…'
                : 'Show codes…'}
          </button>
        </div>
      </Dialog>
    );
  }

  const { codes, skipped, at } = state;
  const code = codes[at];
  const total = codes.length;
  const go = (next: number) => setState({ ...state, at: Math.min(total - 1, Math.max(0, next)) });
  const position = `Code ${at + 1} of ${total}`;
  const alt = account ? `QR code for ${account.label}` : `Transfer QR code ${at + 1} of ${total}`;

  return (
    <Dialog key="codes" title={title} onClose={onClose} initialFocus="[data-primary]">
      <div className="transfer">
        {total > 1 && (
          <p className="transfer-position" aria-live="polite">
            {position}
          </p>
        )}
        {code && (
          <img className="qr-image" src={svgSource(code.svg)} alt={alt} data-qr-index={at} />
        )}
        <p className="field-hint">
          {account
            ? 'Scan it with the authenticator app on your phone, then close this window.'
            : total > 1
              ? 'Scan this code, then go on to the next one. Each code holds up to 10 accounts.'
              : 'Scan this code with your phone.'}
        </p>
        {skipped.length > 0 && (
          <div className="notice notice-warning transfer-skipped">
            <p>
              {skipped.length === 1
                ? 'One account is not in these codes'
                : `${skipped.length} accounts are not in these codes`}
              : Google Authenticator’s export cannot carry them. Show each one’s own QR code from
              its row instead.
            </p>
            <ul>
              {skipped.map((entry) => (
                <li key={entry.id}>
                  {entry.name}: {entry.reason}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <div className="dialog-actions">
        {total > 1 && (
          <>
            <button
              type="button"
              className="button"
              aria-disabled={at === 0}
              onClick={() => go(at - 1)}
            >
              Previous code
            </button>
            <button
              type="button"
              className="button"
              aria-disabled={at === total - 1}
              onClick={() => go(at + 1)}
            >
              Next code
            </button>
          </>
        )}
        <button type="button" className="button button-primary" data-primary onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
