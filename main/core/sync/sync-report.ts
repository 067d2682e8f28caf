import type { SyncStatus } from '../../../shared/contract';
import type { ProjectionChanges } from './projection';

type Summary = Omit<NonNullable<SyncStatus['last']>, 'at'>;

/**
 * What a pass did, for people: counts by device name ("2 accounts added from Laptop"); null
 * when it changed nothing they would see.
 */
export function summariseChanges(
  changes: ProjectionChanges,
  names: Readonly<Record<string, string>>,
  thisDevice: string,
): Summary | null {
  const byDevice = (list: readonly { device: string }[]) => {
    const counts = new Map<string, number>();
    for (const { device } of list) {
      const name = device === thisDevice ? 'this device' : (names[device] ?? 'another device');
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return [...counts].map(([device, count]) => ({ device, count }));
  };
  const summary: Summary = {
    added: byDevice(changes.added),
    updated: byDevice(changes.updated),
    removed: byDevice(changes.removed),
    restored: byDevice(changes.restored),
    joined: changes.joined.length,
  };
  const total =
    changes.added.length +
    changes.updated.length +
    changes.removed.length +
    changes.restored.length +
    changes.joined.length;
  return total === 0 ? null : summary;
}
