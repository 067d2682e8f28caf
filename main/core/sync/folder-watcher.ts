import { watch } from 'chokidar';

/**
 * Watching a folder for files that appear, change or go (the sync folder; followed backup
 * folders). chokidar smooths over the platforms' own watchers (FSEvents, inotify,
 * ReadDirectoryChangesW) and polls network drives that send no events. Files whose names
 * start with a dot (temp files: ours, Syncthing's) are ignored: they become real files by a
 * rename, which is seen.
 */
export type WatchPort = (
  folder: string,
  onChange: () => void,
) => Promise<{ close(): Promise<void> }>;

export const watchFolder: WatchPort = async (folder, onChange) => {
  const watcher = watch(folder, {
    ignoreInitial: true,
    depth: 2,
    ignored: (path: string) => /(^|[\\/])\.[^\\/]*$/.test(path),
  });
  watcher.on('all', () => onChange());
  // A folder that cannot be watched (gone, no permission) is reported by the passes themselves.
  watcher.on('error', () => undefined);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { close: () => watcher.close() };
};
