import type { BrowserWindow, Dialog, FileFilter } from 'electron';
import type { ExportFormat } from '../../shared/contract';
import type { FolderDialogPort, SaveDialogPort } from '../core/backup/backup-handlers';

/** What each export format is called in the save dialog, and its extension. */
const FILTERS: Record<ExportFormat, FileFilter> = {
  chronokey: { name: 'Chronokey backup', extensions: ['ckb'] },
  aegis: { name: 'Aegis vault (JSON)', extensions: ['json'] },
  otpauth: { name: 'Text file of otpauth links', extensions: ['txt'] },
  kdbx: { name: 'KeePassXC database', extensions: ['kdbx'] },
};

const TITLES: Record<ExportFormat, string> = {
  chronokey: 'Save encrypted backup',
  aegis: 'Save Aegis vault',
  otpauth: 'Save otpauth links (not encrypted)',
  kdbx: 'Save KeePassXC database',
};

type Parent = () => BrowserWindow | null;

/** The exports' save dialog over Electron's, attached to the window when there is one. */
export function createSaveDialogAdapter(
  electronDialog: Pick<Dialog, 'showSaveDialog'>,
  parentWindow: Parent,
): SaveDialogPort {
  return {
    async chooseSavePath({ defaultName, format }) {
      const options = {
        title: TITLES[format],
        defaultPath: defaultName,
        filters: [FILTERS[format]],
        properties: ['createDirectory', 'showOverwriteConfirmation'] as Array<
          'createDirectory' | 'showOverwriteConfirmation'
        >,
      };
      const parent = parentWindow();
      const result = parent
        ? await electronDialog.showSaveDialog(parent, options)
        : await electronDialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}

/** The automatic backups' folder picker over Electron's open dialog. */
export function createFolderDialogAdapter(
  electronDialog: Pick<Dialog, 'showOpenDialog'>,
  parentWindow: Parent,
): FolderDialogPort {
  return {
    async chooseFolder(choice) {
      const options = {
        title: choice?.title ?? 'Choose a folder for automatic backups',
        properties: ['openDirectory', 'createDirectory'] as Array<
          'openDirectory' | 'createDirectory'
        >,
      };
      const parent = parentWindow();
      const result = parent
        ? await electronDialog.showOpenDialog(parent, options)
        : await electronDialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
