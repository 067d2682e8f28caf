import type { ClockHealth } from './contract';

/**
 * Whether the window warns about the system clock: sync off, not done, unknown (the OS could
 * not tell), or an impossible date. Kept apart from the contract so the renderer can use it
 * without loading the schemas.
 */
export function clockNeedsWarning(health: ClockHealth | null): health is ClockHealth {
  return health !== null && health.state !== 'ok' && health.state !== 'unchecked';
}
