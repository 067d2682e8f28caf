import { contextBridge, ipcRenderer } from 'electron';
import type { Channel, Result } from '../../shared/contract';
import { buildApi } from '../../shared/contract';

/**
 * Exposes `window.chronokey`: one named method per contract channel and nothing else.
 * The renderer never sees ipcRenderer, so it cannot send to a channel the contract lacks.
 */
const api = buildApi(
  (channel: Channel, input: unknown) =>
    ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>,
);

contextBridge.exposeInMainWorld('chronokey', api);
