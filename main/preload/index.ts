// First: zod must not compile parsers with `new Function` under the page's CSP.
import './zod-jitless';
import type { IpcRendererEvent } from 'electron';
import { contextBridge, ipcRenderer } from 'electron';
import type { Channel, EventName, Result } from '../../shared/contract';
import { buildApi, eventChannel } from '../../shared/contract';

/**
 * Exposes `window.chronokey`: one named method per contract channel, one named subscription
 * per contract event (`events.onVaultLocked(listener)` → unsubscribe), and nothing else.
 * The renderer never sees ipcRenderer or an IPC event, so it cannot send to a channel the
 * contract lacks nor reach `event.sender`.
 */
const api = buildApi(
  (channel: Channel, input: unknown) =>
    ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>,
  (name: EventName, listener: (payload: unknown) => void) => {
    const channel = eventChannel(name);
    const onEvent = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, onEvent);
    return () => {
      ipcRenderer.removeListener(channel, onEvent);
    };
  },
);

contextBridge.exposeInMainWorld('chronokey', api);
