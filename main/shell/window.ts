import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { APP_ORIGIN } from './ipc';
import type { WindowState } from './window-state';
import { MIN_WINDOW_SIZE } from './window-state';

/** The page background of the renderer's light and dark themes, so no white flash on open. */
export const WINDOW_BACKGROUND = { light: '#f6f7f9', dark: '#17191e' } as const;

/** The first page: our own build on app://, or Vite's dev server in development. */
export function startUrl(devServerUrl: string | undefined): string {
  return devServerUrl ?? `${APP_ORIGIN}/index.html`;
}

export interface WindowOptionsInput {
  preload: string;
  state: WindowState;
  dark: boolean;
  title?: string;
  /** DevTools exist only in development: a packaged Chronokey passes false. */
  devTools?: boolean;
}

/**
 * Every security-relevant option is spelled out (even where it is Electron's default) so a
 * change of default, or of this file, is caught by the unit test.
 */
export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const { state } = input;
  return {
    title: input.title ?? 'Chronokey',
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    backgroundColor: input.dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    autoHideMenuBar: false,
    webPreferences: {
      preload: input.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: input.devTools ?? false,
    },
  };
}

type WindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** Creates the window hidden, shows it once its first paint is ready, and loads the UI. */
export function createMainWindow(
  BrowserWindowClass: WindowConstructor,
  input: WindowOptionsInput & { url: string },
): BrowserWindow {
  const window = new BrowserWindowClass(mainWindowOptions(input));
  window.once('ready-to-show', () => {
    if (input.state.maximized) window.maximize();
    window.show();
  });
  void window.loadURL(input.url).catch(() => {
    // A failed load shows Chromium's error page in the window; there is nothing better to show.
  });
  return window;
}
