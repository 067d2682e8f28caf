import { useState } from 'react';
import { Dialog } from '../components/Dialog';
import { errorMessage } from '../lib/api';

export function DeleteDialog({
  label,
  onCancel,
  onConfirm,
}: {
  label: string;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      title={`Delete ${label}?`}
      role="alertdialog"
      onClose={onCancel}
      initialFocus="[data-cancel]"
      description="Its codes will stop showing here. You can bring it back from Recently deleted for 15 minutes, until Chronokey locks; after that, you would need the site's QR code or key again."
    >
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" data-cancel onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
            } catch (caught) {
              setError(errorMessage(caught));
              setBusy(false);
            }
          }}
        >
          Delete
        </button>
      </div>
    </Dialog>
  );
}
