import type { BrowserWindow, Dialog } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  createFolderDialogAdapter,
  createSaveDialogAdapter,
} from '../../../main/shell/backup-dialogs';

describe('backup dialogs (Electron save dialog and folder picker)', () => {
  it('asks where to save over the window, with the suggested name and the format’s filter', async () => {
    const showSaveDialog = vi.fn(async () => ({ canceled: false, filePath: '/home/a/b.ckb' }));
    const window = {} as BrowserWindow;
    const port = createSaveDialogAdapter(
      { showSaveDialog } as unknown as Pick<Dialog, 'showSaveDialog'>,
      () => window,
    );
    expect(
      await port.chooseSavePath({
        defaultName: 'chronokey-backup-2024-01-01.ckb',
        format: 'chronokey',
      }),
    ).toBe('/home/a/b.ckb');
    const [parent, options] = showSaveDialog.mock.calls[0] as unknown as [
      BrowserWindow,
      { defaultPath: string; filters: Array<{ extensions: string[] }>; title: string },
    ];
    expect(parent).toBe(window);
    expect(options.defaultPath).toBe('chronokey-backup-2024-01-01.ckb');
    expect(options.filters[0]!.extensions).toEqual(['ckb']);
    expect(options.title).toMatch(/encrypted backup/);
  });

  it('answers null when the user cancels, and names the plain list as not encrypted', async () => {
    const showSaveDialog = vi.fn(async () => ({ canceled: true, filePath: '' }));
    const port = createSaveDialogAdapter(
      { showSaveDialog } as unknown as Pick<Dialog, 'showSaveDialog'>,
      () => null,
    );
    expect(await port.chooseSavePath({ defaultName: 'x.txt', format: 'otpauth' })).toBeNull();
    const [options] = showSaveDialog.mock.calls[0] as unknown as [{ title: string }];
    expect(options.title).toMatch(/not encrypted/);
  });

  it('picks one folder for automatic backups, or null', async () => {
    const showOpenDialog = vi
      .fn()
      .mockResolvedValueOnce({ canceled: false, filePaths: ['/backups'] })
      .mockResolvedValueOnce({ canceled: true, filePaths: [] });
    const port = createFolderDialogAdapter(
      { showOpenDialog } as unknown as Pick<Dialog, 'showOpenDialog'>,
      () => null,
    );
    expect(await port.chooseFolder()).toBe('/backups');
    expect(await port.chooseFolder()).toBeNull();
    const [options] = showOpenDialog.mock.calls[0] as unknown as [{ properties: string[] }];
    expect(options.properties).toContain('openDirectory');
  });
});
