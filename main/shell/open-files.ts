import path from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import { ChronokeyError } from '../../shared/errors';
import { readRegularFile } from '../core/files/read-regular-file';
import { importFileError } from '../core/import/file-errors';
import type { OpenFilesPort } from '../core/import/import-handlers';
import { MAX_FILES_PER_IMPORT } from '../core/import/limits';
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
      'kdbx',
      '1pux',
      'zip',
      'csv',
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
      if (result.filePaths.length > MAX_FILES_PER_IMPORT) {
        throw new ChronokeyError(
          'IMPORT_TOO_MANY_FILES',
          `${result.filePaths.length} files were chosen; Chronokey imports up to ${MAX_FILES_PER_IMPORT} at a time. Choose fewer files and import the rest afterwards.`,
        );
      }
      // One at a time: at most one file's bytes are being read at any moment.
      const files: Array<{ name: string; bytes: Uint8Array }> = [];
      for (const filePath of result.filePaths) files.push(await readPicked(filePath));
      return files;
    },
  };
}

async function readPicked(filePath: string): Promise<{ name: string; bytes: Uint8Array }> {
  const name = path.basename(filePath);
  try {
    return { name, bytes: new Uint8Array(await readRegularFile(filePath, MAX_INPUT_BYTES)) };
  } catch (error) {
    throw importFileError(name, error);
  }
}
