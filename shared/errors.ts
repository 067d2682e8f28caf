import { z } from 'zod';

/**
 * An error a user can meet: a stable `code` the UI and scripts can rely on, and a sentence a
 * person understands that says what went wrong and, where possible, what to do.
 */
export class ChronokeyError extends Error {
  override readonly name = 'ChronokeyError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const ErrorShape = z.object({ code: z.string(), message: z.string() });
export type ErrorShape = z.infer<typeof ErrorShape>;

export function isChronokeyError(error: unknown): error is ChronokeyError {
  return error instanceof ChronokeyError;
}

/** Turns anything thrown into the shape that crosses IPC or reaches stderr, hiding internals. */
export function toErrorShape(error: unknown): ErrorShape {
  if (isChronokeyError(error)) return { code: error.code, message: error.message };
  return {
    code: 'INTERNAL',
    message: 'Something went wrong inside Chronokey. Nothing was changed.',
  };
}
