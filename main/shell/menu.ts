import type { MenuItemConstructorOptions } from 'electron';

/** What the menu asks of the app; the composition root wires each to main or the window. */
export interface MenuCommands {
  lock(): void;
  find(): void;
  addAccount(): void;
  openSettings(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Packaged builds have no DevTools and no reload. */
  isPackaged: boolean;
  appName: string;
  commands: MenuCommands;
}

export const ACCELERATORS = {
  lock: 'CmdOrCtrl+L',
  find: 'CmdOrCtrl+F',
  addAccount: 'CmdOrCtrl+N',
  openSettings: 'CmdOrCtrl+,',
} as const;

/**
 * The native menu, following each platform's conventions: on macOS an app menu holds
 * Settings and Quit; elsewhere File does. Edit keeps the standard roles so cut, copy, paste
 * and select all work in every text field.
 */
export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { commands, appName } = options;
  const mac = options.platform === 'darwin';
  // Alt-key mnemonics are a Windows and Linux convention; macOS menus show no ampersands.
  const top = (name: string) => (mac ? name : `&${name}`);
  const settings: MenuItemConstructorOptions = {
    label: mac ? 'Settings…' : 'Settings',
    accelerator: ACCELERATORS.openSettings,
    click: () => commands.openSettings(),
  };

  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      settings,
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };

  const file: MenuItemConstructorOptions = {
    label: top('File'),
    submenu: [
      {
        label: 'Add Account…',
        accelerator: ACCELERATORS.addAccount,
        click: () => commands.addAccount(),
      },
      { type: 'separator' },
      { label: 'Lock', accelerator: ACCELERATORS.lock, click: () => commands.lock() },
      { type: 'separator' },
      ...(mac ? [{ role: 'close' } as const] : [settings, { type: 'separator' } as const]),
      ...(mac ? [] : [{ role: 'quit' } as const]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: top('Edit'),
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      { label: 'Find', accelerator: ACCELERATORS.find, click: () => commands.find() },
    ],
  };

  const developer: MenuItemConstructorOptions[] = options.isPackaged
    ? []
    : [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
      ];

  const view: MenuItemConstructorOptions = {
    label: top('View'),
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const window: MenuItemConstructorOptions = {
    label: top('Window'),
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };

  const help: MenuItemConstructorOptions = {
    label: top('Help'),
    role: 'help',
    submenu: [mac ? { role: 'about', label: `About ${appName}` } : { role: 'about' }],
  };

  return [...(mac ? [appMenu] : []), file, edit, view, window, help];
}
