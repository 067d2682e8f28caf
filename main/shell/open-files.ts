import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import { ChronokeyError } from '../../shared/errors';
import type { OpenFilesPort } from '../core/import/import-handlers';
import { MAX_INPUT_BYTES } from '../core/import/sniff';

/** Files the import can take; "All files" stays available since formats are read by content. */
const FILTERS = [
  {
    name: 'Images, exports and backups',
    extensions: [
      'png',
      'jpg',
      'jpeg',
      'webp',
      'gif',
      'json',
      'txt',
      '2fas',
      'aes',
      'authpro',
      'ckbackup',
    ],
  },
  { name: 'All files', extensions: ['*'] },
];

/**
 * The import's open-file port over Electron's dialog: the user picks one or many files, which
 * are read into memory (each at most MAX_INPUT_BYTES) for the core's pipeline.
 */
export function createOpenFilesAdapter(
  electronDialog: Pick<Dialog, 'showOpenDialog'>,
  parentWindow: () => BrowserWindow | null,
): OpenFilesPort {
  return {
    async openFiles() {
      const options = {
        title: 'Import accounts',
        properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'>,
        filters: FILTERS,
      };
      const parent = parentWindow();
      const result = parent
        ? await electronDialog.showOpenDialog(parent, options)
        : await electronDialog.showOpenDialog(options);
      if (result.canceled || result.filePaths.length === 0) return null;
      return Promise.all(result.filePaths.map(readPicked));
    },
  };
}

async function readPicked(filePath: string): Promise<{ name: string; bytes: Uint8Array }> {
  const name = path.basename(filePath);
  const info = await stat(filePath);
  if (info.size > MAX_INPUT_BYTES) {
    throw new ChronokeyError(
      'IMPORT_TOO_LARGE',
      `"${name}" is ${Math.round(info.size / 2 ** 20)} MiB; Chronokey reads files of up to ${MAX_INPUT_BYTES / 2 ** 20} MiB.`,
    );
  }
  return { name, bytes: new Uint8Array(await readFile(filePath)) };
}
