import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';
import { pushDialog } from '../lib/dialog-stack';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  title: string;
  /** "alertdialog" for confirmations that need an answer. */
  role?: 'dialog' | 'alertdialog';
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** Which element gets focus first; defaults to the first field or button. */
  initialFocus?: string;
  wide?: boolean;
}

/**
 * A modal dialog on the native <dialog> element (the rest of the page becomes inert),
 * with Tab kept inside, Escape to close, and focus returned to whatever opened it.
 */
export function Dialog({
  title,
  role = 'dialog',
  description,
  onClose,
  children,
  initialFocus,
  wide = false,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const popDialog = pushDialog(dialog);
    const first =
      (initialFocus ? dialog.querySelector<HTMLElement>(initialFocus) : null) ??
      dialog.querySelector<HTMLElement>(
        '[data-autofocus], input:not([disabled]), select, textarea, .dialog-body button',
      ) ??
      dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      popDialog();
      if (dialog.open) dialog.close();
      // The opener may have been re-rendered away (e.g. a deleted row); then focus the list.
      if (opener?.isConnected) opener.focus();
      else document.querySelector<HTMLElement>('[data-focus-fallback]')?.focus();
    };
    // Opening happens once per mount; later prop changes must not steal focus.
  }, []);

  function onKeyDown(event: React.KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== 'Tab') return;
    const dialog = ref.current;
    if (!dialog) return;
    const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (element) => element.offsetParent !== null || element === document.activeElement,
    );
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <dialog
      ref={ref}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      className={`dialog${wide ? ' dialog-wide' : ''}${role === 'alertdialog' ? ' dialog-alert' : ''}`}
      onCancel={(event) => {
        event.preventDefault();
        onCloseRef.current();
      }}
      onKeyDown={onKeyDown}
    >
      <div className="dialog-header">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
      </div>
      {description && (
        <p id={descriptionId} className="dialog-description">
          {description}
        </p>
      )}
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
