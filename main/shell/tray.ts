import type {
  Menu as MenuType,
  MenuItemConstructorOptions,
  NativeImage,
  Tray as TrayType,
} from 'electron';
import { TRAY_COLOUR, TRAY_TEMPLATE } from './tray-icon-images';

/** What the tray menu asks of the app; the composition root wires each. */
export interface TrayCommands {
  /** Shows the window with the search box focused. */
  search(): void;
  /** Copies an account's current code through the core's `codes.copy` (clipboard timeout too). */
  copy(id: string): void;
  lock(): void;
  quit(): void;
}

export interface TrayFavourite {
  id: string;
  label: string;
}

export interface TrayState {
  unlocked: boolean;
  favourites: TrayFavourite[];
}

/** At most this many favourites are listed; the search finds the rest. */
export const TRAY_FAVOURITES_MAX = 12;

/** "GitHub (me@example.com)", shortened so a long name cannot make the menu unusable. */
export function favouriteLabel(issuer: string, account: string): string {
  const name = issuer && account ? `${issuer} (${account})` : issuer || account || 'Unnamed';
  const short = name.length > 48 ? `${name.slice(0, 47)}…` : name;
  // A menu label's '&' marks a mnemonic on Windows and Linux: show it as itself.
  return short.replace(/&/g, '&&');
}

/**
 * The tray / menu-bar menu: Search…, then (when unlocked) the favourites for one-click copy,
 * then Lock and Quit. Codes are never shown in the menu, only copied.
 */
export function buildTrayMenuTemplate(
  state: TrayState,
  commands: TrayCommands,
): MenuItemConstructorOptions[] {
  const favourites: MenuItemConstructorOptions[] = state.unlocked
    ? state.favourites.length > 0
      ? [
          { label: 'Copy code', enabled: false },
          ...state.favourites
            .slice(0, TRAY_FAVOURITES_MAX)
            .map((favourite): MenuItemConstructorOptions => ({
              label: favourite.label,
              click: () => commands.copy(favourite.id),
            })),
        ]
      : [{ label: 'Star accounts to copy their codes from here', enabled: false }]
    : [{ label: 'Locked: open Chronokey to unlock', enabled: false }];
  return [
    { label: 'Search…', click: () => commands.search() },
    { type: 'separator' },
    ...favourites,
    { type: 'separator' },
    { label: 'Lock', enabled: state.unlocked, click: () => commands.lock() },
    { label: 'Quit Chronokey', click: () => commands.quit() },
  ];
}

export interface TrayDeps {
  Tray: new (image: NativeImage) => TrayType;
  Menu: Pick<typeof MenuType, 'buildFromTemplate'>;
  nativeImage: { createFromDataURL(dataURL: string): NativeImage };
  platform: NodeJS.Platform;
  commands: TrayCommands;
}

/** The tray icon: macOS gets a template image it tints for the menu bar. */
export function trayImage(deps: Pick<TrayDeps, 'nativeImage' | 'platform'>): NativeImage {
  const mac = deps.platform === 'darwin';
  const set = mac ? TRAY_TEMPLATE : TRAY_COLOUR;
  const image = deps.nativeImage.createFromDataURL(set.x1);
  image.addRepresentation({ scaleFactor: 2, dataURL: set.x2 });
  if (mac) image.setTemplateImage(true);
  return image;
}

export function createAppTray(deps: TrayDeps) {
  const tray = new deps.Tray(trayImage(deps));
  tray.setToolTip('Chronokey');
  // Windows (and some Linux panels) open the window on a click; the menu is on right-click.
  tray.on('click', () => {
    if (deps.platform !== 'darwin') deps.commands.search();
  });
  const update = (state: TrayState) => {
    tray.setContextMenu(deps.Menu.buildFromTemplate(buildTrayMenuTemplate(state, deps.commands)));
  };
  update({ unlocked: false, favourites: [] });
  return { update, destroy: () => tray.destroy() };
}
export type AppTray = ReturnType<typeof createAppTray>;
