import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { VaultContent } from '../../../shared/vault-content';
import type { RandomBytes } from './key-slots';
import { TEMP_PREFIX, type VaultFs } from './vault-fs';
import type { PasswordSlot, VaultHeader } from './vault-file';

/**
 * `vault.state`: what this machine last saw of the vault, kept beside it but outside the
 * encrypted file, so that an older copy of `vault.ckv` put back in place (a sync engine's
 * history, a backup, `vault.ckv.prev` renamed) is noticed instead of opening silently:
 *
 * - the highest `generation` written or read here (every write raises the header's by one);
 * - the highest counter seen per HOTP account, so a rolled-back file never offers a code that
 *   was already used;
 * - a fingerprint of the password slot's KDF settings, to tell an edited header from a wrong
 *   password.
 *
 * Nothing in it is secret (account ids are random, counters and KDF settings are public facts).
 * It is not authenticated: whoever can write the folder can already delete the vault, and the
 * worst a forged state does is warn about a rollback that did not happen or skip HOTP codes.
 */

export const STATE_FILE = 'vault.state';
/** Keeps the file small whatever happens: far more HOTP accounts than anyone has. */
const MAX_HOTP_ENTRIES = 100_000;

const VaultStateSchema = z.object({
  version: z.literal(1),
  vaultId: z.string().regex(/^[0-9a-f]{32}$/),
  generation: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  passwordKdf: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  hotp: z.record(
    z.string().min(1).max(64),
    z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  ),
});
export type VaultState = z.infer<typeof VaultStateSchema>;

/** The state recorded for this vault, or null when there is none (or it is unreadable). */
export async function readVaultState(
  fs: VaultFs,
  dir: string,
  vaultId: string,
): Promise<VaultState | null> {
  try {
    const parsed = VaultStateSchema.safeParse(
      JSON.parse((await fs.readFile(join(dir, STATE_FILE))).toString('utf8')),
    );
    return parsed.success && parsed.data.vaultId === vaultId ? parsed.data : null;
  } catch {
    // Missing or damaged: rollback detection starts again from the file in place.
    return null;
  }
}

/** Records what was just written (callers hold the vault lock). Best effort: never throws. */
export async function writeVaultState(
  fs: VaultFs,
  dir: string,
  state: VaultState,
  random: RandomBytes,
): Promise<void> {
  const temp = join(dir, `${TEMP_PREFIX}state-${random(8).toString('hex')}`);
  try {
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(state)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, join(dir, STATE_FILE));
  } catch {
    await fs.unlink(temp).catch(() => undefined);
  }
}

/** The state after writing `header` with `content`: counters only ever go up. */
export function nextVaultState(
  previous: VaultState | null,
  header: VaultHeader,
  content: VaultContent,
): VaultState {
  const hotp: Record<string, number> = {};
  for (const account of content.accounts) {
    if (account.type === 'hotp') hotp[account.id] = account.counter;
  }
  // Removed accounts keep their counter, so a rollback that brings one back cannot rewind it.
  for (const [id, counter] of Object.entries(previous?.hotp ?? {})) {
    if (Object.keys(hotp).length >= MAX_HOTP_ENTRIES) break;
    hotp[id] = Math.max(counter, hotp[id] ?? 0);
  }
  const slot = header.slots.find((candidate) => candidate.type === 'password');
  return {
    version: 1,
    vaultId: header.vaultId,
    generation: Math.max(header.generation, previous?.generation ?? 0),
    passwordKdf: slot ? kdfFingerprint(slot) : null,
    hotp,
  };
}

/** Raises each HOTP counter to the highest seen here; true when one was behind. */
export function applyCounterFloor(content: VaultContent, state: VaultState | null): boolean {
  if (!state) return false;
  let raised = false;
  for (const account of content.accounts) {
    const seen = state.hotp[account.id];
    if (account.type === 'hotp' && seen !== undefined && seen > account.counter) {
      account.counter = seen;
      raised = true;
    }
  }
  return raised;
}

/** SHA-256 of the password slot's KDF settings and salt, hex. */
export function kdfFingerprint(slot: PasswordSlot): string {
  return createHash('sha256')
    .update(`${slot.kdf}:${slot.n}:${slot.r}:${slot.p}:${slot.salt}`)
    .digest('hex');
}
