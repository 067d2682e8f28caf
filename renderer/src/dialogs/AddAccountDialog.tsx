import { useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { AccountView } from '../../../shared/domain';
import { Dialog } from '../components/Dialog';
import { LinkForm } from './add-account/LinkForm';
import { ManualForm } from './add-account/ManualForm';
import type { ManualFields } from './add-account/manual-fields';
import { EMPTY_MANUAL, manualTyped } from './add-account/manual-fields';

type Tab = 'link' | 'manual';

/**
 * Adding one account, by its link or by hand. What is typed in either tab stays when switching
 * between them, and closing with something typed asks first, so nothing is lost by a stray
 * Escape.
 */
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
  const [uri, setUri] = useState(initialUri ?? '');
  const [fields, setFields] = useState<ManualFields>(EMPTY_MANUAL);
  const [confirmingClose, setConfirmingClose] = useState(false);
  const id = useId();
  const tabs = useRef<Record<Tab, HTMLButtonElement | null>>({ link: null, manual: null });

  const typed = uri.trim() !== (initialUri ?? '').trim() || manualTyped(fields);
  const requestClose = () => (typed ? setConfirmingClose(true) : onClose());

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
    <Dialog title="Add account" onClose={requestClose} initialFocus="[data-initial]" wide>
      {confirmingClose ? (
        <div className="form" role="group" aria-labelledby={`${id}-discard`}>
          <p id={`${id}-discard`}>
            <strong>Discard what you typed?</strong> The account has not been added yet.
          </p>
          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              data-autofocus
              autoFocus
              onClick={() => setConfirmingClose(false)}
            >
              Keep editing
            </button>
            <button type="button" className="button button-danger" onClick={onClose}>
              Discard
            </button>
          </div>
        </div>
      ) : (
        <>
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
                uri={uri}
                onUri={setUri}
                onCancel={requestClose}
                onAdded={onAdded}
                onImport={onImport}
              />
            ) : (
              <ManualForm
                fields={fields}
                onFields={setFields}
                onCancel={requestClose}
                onAdded={onAdded}
              />
            )}
          </div>
          <p className="import-offer">
            Several accounts, a picture of a QR code or another app’s backup?{' '}
            <button type="button" className="link-button" onClick={() => onImport()}>
              Import from a picture, the screen or another app
            </button>
          </p>
        </>
      )}
    </Dialog>
  );
}
