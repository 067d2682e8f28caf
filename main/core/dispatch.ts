import type { Channel, Handlers, Result } from '../../shared/contract';
import { contract } from '../../shared/contract';
import { toErrorShape } from '../../shared/errors';

export interface DispatchOptions {
  /** Where unexpected (non-user) errors are reported; they cross IPC only as INTERNAL. */
  onInternalError?: (channel: string, error: unknown) => void;
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/**
 * Runs one call through the contract: the input is parsed with the channel's schema, the
 * handler runs, and its output is parsed too (which also strips any field the contract does
 * not name, so a secret can never ride along by mistake). Never throws.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  rawInput: unknown,
  options: DispatchOptions = {},
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL', message: 'Unknown request.' } };
  }
  const schema = contract[channel];
  const input = schema.input.safeParse(rawInput);
  if (!input.success) {
    const detail = input.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
      .join('; ');
    return {
      ok: false,
      error: { code: 'IPC_INVALID_INPUT', message: `Invalid request (${detail}).` },
    };
  }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    const value = schema.output.parse(await handler(input.data));
    return { ok: true, value };
  } catch (error) {
    const shape = toErrorShape(error);
    if (shape.code === 'INTERNAL') options.onInternalError?.(channel, error);
    return { ok: false, error: shape };
  }
}
