import type { Channel, Handlers } from '../../shared/contract';

/**
 * Wraps a handler table so `onHandled(channel)` runs after each call that succeeded: how the
 * composition root keeps the tray's favourites and the OS settings (login item, shortcut,
 * screen-capture protection) in step with the vault without the core knowing of them.
 * A failing observer is reported, never turned into a failed call.
 */
export function observeHandlers(
  handlers: Handlers,
  onHandled: (channel: Channel) => void | Promise<void>,
  onError: (error: unknown) => void = () => undefined,
): Handlers {
  const observed: Record<string, unknown> = {};
  for (const [channel, handler] of Object.entries(handlers) as [
    Channel,
    (input: unknown) => Promise<unknown>,
  ][]) {
    observed[channel] = async (input: unknown) => {
      const value = await handler(input);
      try {
        await onHandled(channel);
      } catch (error) {
        onError(error);
      }
      return value;
    };
  }
  return observed as Handlers;
}
