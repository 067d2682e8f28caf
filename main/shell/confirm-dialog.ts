import type { BrowserWindow, Dialog } from 'electron';
import type { ConfirmPort } from '../core/ports';

type Parent = () => BrowserWindow | null;

/**
 * Main's own confirmation, over Electron's message box: drawn by the system, outside the
 * renderer, so a compromised window cannot click it for the person. "Cancel" is the default
 * (Enter and Escape both cancel) since what it guards shows secrets.
 */
export function createConfirmDialogAdapter(
  electronDialog: Pick<Dialog, 'showMessageBox'>,
  parentWindow: Parent,
): ConfirmPort {
  return {
    async confirm({ title, message, detail, confirmLabel }) {
      const options = {
        type: 'warning' as const,
        title,
        message,
        detail,
        buttons: ['Cancel', confirmLabel],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const parent = parentWindow();
      const result = parent
        ? await electronDialog.showMessageBox(parent, options)
        : await electronDialog.showMessageBox(options);
      return result.response === 1;
    },
  };
}
