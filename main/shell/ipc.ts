import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Handlers, Result } from '../../shared/contract';
import { channels } from '../../shared/contract';
import { dispatch } from '../core/dispatch';

/** Where our UI is served from: the privileged, standard app:// scheme registered by the shell. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'chronokey';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'IPC_FORBIDDEN', message: 'This request did not come from the Chronokey window.' },
};

/**
 * Only our own window's main frame, showing our own app:// origin, may call the core.
 * `isOurWindow` tells whether the sending WebContents belongs to a window we created.
 * `devOrigin` (development only, never in a packaged app) also admits the Vite dev server.
 */
export function isTrustedSender(
  event: IpcMainInvokeEvent,
  isOurWindow: (webContentsId: number) => boolean,
  devOrigin?: string,
): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!isOurWindow(event.sender.id)) return false;
  // Node's URL gives custom schemes an opaque origin, so compare scheme and host instead.
  const url = URL.parse(frame.url);
  if (url === null) return false;
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  const dev = devOrigin === undefined ? null : URL.parse(devOrigin);
  return dev !== null && url.protocol === dev.protocol && url.host === dev.host;
}

export interface IpcRegistration {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  handlers: Handlers;
  isOurWindow: (webContentsId: number) => boolean;
  /** Development only: the Vite dev server origin the window loads instead of app://. */
  devOrigin?: string | undefined;
  onInternalError?: (channel: string, error: unknown) => void;
}

/** Registers every contract channel with `ipcMain.handle`; returns a function that removes them. */
export function registerIpcHandlers(registration: IpcRegistration): () => void {
  const { ipcMain, handlers, isOurWindow } = registration;
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!isTrustedSender(event, isOurWindow, registration.devOrigin)) return FORBIDDEN;
      return dispatch(handlers, channel, input, {
        ...(registration.onInternalError && { onInternalError: registration.onInternalError }),
      });
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
