import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_INPUT_BYTES } from '../../../main/core/import/sniff';
import { createOpenFilesAdapter } from '../../../main/shell/open-files';

describe('open-files adapter (the import dialog)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'chronokey-open-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function dialogAnswering(result: { canceled: boolean; filePaths: string[] }) {
    const showOpenDialog = vi.fn(async () => result);
    return {
      dialog: { showOpenDialog } as unknown as Pick<Dialog, 'showOpenDialog'>,
      showOpenDialog,
    };
  }

  it('reads every picked file by name, and asks for several files over the window', async () => {
    writeFileSync(path.join(dir, 'a.txt'), 'otpauth://totp/A?secret=JBSWY3DP');
    writeFileSync(path.join(dir, 'b.png'), new Uint8Array([0x89, 0x50]));
    const { dialog, showOpenDialog } = dialogAnswering({
      canceled: false,
      filePaths: [path.join(dir, 'a.txt'), path.join(dir, 'b.png')],
    });
    const window = {} as BrowserWindow;
    const files = await createOpenFilesAdapter(dialog, () => window).openFiles();
    expect(files!.map((file) => [file.name, file.bytes.length])).toEqual([
      ['a.txt', 32],
      ['b.png', 2],
    ]);
    const [parent, options] = showOpenDialog.mock.calls[0] as unknown as [
      BrowserWindow,
      { properties: string[] },
    ];
    expect(parent).toBe(window);
    expect(options.properties).toEqual(['openFile', 'multiSelections']);
  });

  it('returns null when the user cancels', async () => {
    const { dialog } = dialogAnswering({ canceled: true, filePaths: [] });
    expect(await createOpenFilesAdapter(dialog, () => null).openFiles()).toBeNull();
  });

  it('refuses a file over the size bound before reading it', async () => {
    const big = path.join(dir, 'big.png');
    writeFileSync(big, '');
    truncateSync(big, MAX_INPUT_BYTES + 1);
    const { dialog } = dialogAnswering({ canceled: false, filePaths: [big] });
    await expect(createOpenFilesAdapter(dialog, () => null).openFiles()).rejects.toMatchObject({
      code: 'IMPORT_TOO_LARGE',
    });
  });
});
