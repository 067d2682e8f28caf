import type { WebContents } from 'electron';
import type { EventName, EventPayload } from '../../shared/contract';
import { eventChannel, events } from '../../shared/contract';

/**
 * Pushes one contract event to a window. The payload is checked against the contract first,
 * so main cannot send the renderer something the preload would drop.
 */
export function sendEvent<E extends EventName>(
  contents: Pick<WebContents, 'send' | 'isDestroyed'> | null | undefined,
  name: E,
  payload: EventPayload<E>,
): boolean {
  if (!contents || contents.isDestroyed()) return false;
  contents.send(eventChannel(name), events[name].parse(payload));
  return true;
}
