import type { ReactNode } from 'react';

/** A form's error, announced when it appears; nothing when there is none. */
export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}

/** A dialog's buttons: Cancel (or Close) on the left, the one that goes ahead on the right. */
export function DialogButtons({
  onCancel,
  cancelLabel = 'Cancel',
  children,
}: {
  onCancel: () => void;
  cancelLabel?: string;
  /** The button that goes ahead (a submit button, usually), if there is one. */
  children?: ReactNode;
}) {
  return (
    <div className="dialog-actions">
      <button
        type="button"
        className={children ? 'button' : 'button button-primary'}
        data-cancel
        onClick={onCancel}
      >
        {cancelLabel}
      </button>
      {children}
    </div>
  );
}
