import type { Dialog } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createConfirmDialogAdapter } from '../../../main/shell/confirm-dialog';

const QUESTION = {
  title: 'Show QR code',
  message: 'Show the secret key of Example as a QR code?',
  detail: 'Anyone who sees it can make your codes.',
  confirmLabel: 'Show QR code',
};

function dialogAnswering(response: number) {
  const showMessageBox = vi.fn(async () => ({ response, checkboxChecked: false }));
  return {
    dialog: { showMessageBox } as unknown as Pick<Dialog, 'showMessageBox'>,
    showMessageBox,
  };
}

describe("main's confirmation dialog", () => {
  it('goes ahead only on the confirm button, with Cancel the default and Escape answer', async () => {
    const { dialog, showMessageBox } = dialogAnswering(1);
    const port = createConfirmDialogAdapter(dialog, () => null);
    expect(await port.confirm(QUESTION)).toBe(true);
    const [options] = showMessageBox.mock.calls[0] as unknown as [Record<string, unknown>];
    expect(options).toMatchObject({
      type: 'warning',
      message: QUESTION.message,
      detail: QUESTION.detail,
      buttons: ['Cancel', 'Show QR code'],
      defaultId: 0,
      cancelId: 0,
    });
  });

  it('says no when the person cancels', async () => {
    const port = createConfirmDialogAdapter(dialogAnswering(0).dialog, () => null);
    expect(await port.confirm(QUESTION)).toBe(false);
  });

  it('attaches to the window when there is one', async () => {
    const { dialog, showMessageBox } = dialogAnswering(0);
    const window = { id: 1 };
    await createConfirmDialogAdapter(dialog, () => window as never).confirm(QUESTION);
    expect((showMessageBox.mock.calls[0] as unknown[])[0]).toBe(window);
  });
});
