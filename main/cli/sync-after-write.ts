import { randomBytes } from 'node:crypto';
import { ChronokeyError, toErrorShape } from '../../shared/errors';
import type { Clock } from '../core/ports';
import type { VaultSession } from '../core/session';
import { syncErrors } from '../core/sync/sync-errors';
import { runSyncPass, type PendingRemovals, type SyncPassDeps } from '../core/sync/sync-pass';
import { nodeVaultFs } from '../core/vault/vault-fs';
import type { CliIo } from './cli-io';
import { printWarning } from './output';

export function passDeps(session: VaultSession, clock: Clock): SyncPassDeps {
  return {
    vault: { content: () => session.content(), update: (change) => session.update(change) },
    fs: nodeVaultFs,
    clock,
    random: randomBytes,
  };
}

export function pendingError(pending: PendingRemovals): ChronokeyError {
  return new ChronokeyError(
    'SYNC_REMOVALS_PENDING',
    `${syncErrors.removalsPending(pending.count, pending.total).message} Run "chronokey sync now --yes" to apply them.`,
  );
}

export function refusedLine(device: string | null, file: string, message: string): string {
  return `${device ? `${device}'s sync file` : `The sync file ${file}`} was not used: ${message}`;
}

/**
 * After a command changed the vault (add, remove, next …): one pass, so the app on other
 * devices sees it. The change is already saved: a failed pass is a warning, not a failure.
 */
export async function syncAfterWrite(
  session: VaultSession,
  output: { io: CliIo; json: boolean },
  clock: Clock,
): Promise<void> {
  if (!(await session.content()).sync) return;
  try {
    const outcome = await runSyncPass(passDeps(session, clock));
    if (outcome.pending) {
      const warning = pendingError(outcome.pending);
      printWarning(output.io, output.json, warning.code, warning.message);
    }
    for (const refusal of outcome.refused) {
      printWarning(
        output.io,
        output.json,
        'SYNC_REPLICA_REFUSED',
        refusedLine(refusal.deviceName, refusal.file, refusal.message),
      );
    }
  } catch (error) {
    const { code, message } = toErrorShape(error);
    printWarning(
      output.io,
      output.json,
      code,
      `the change is saved, but sync did not run: ${message}`,
    );
  }
}
