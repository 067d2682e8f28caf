// Types for scripts/dist.mjs, used by test/unit/build.
export interface DownloadFailure {
  error: string;
  host: string | null;
  kind: 'electron' | 'tools' | 'headers' | 'unknown';
  platform?: string;
  arch?: string;
  version?: string;
  target?: string | null;
}
export function isStackLine(line: string): boolean;
export function cacheFolders(options?: {
  platform?: string;
  env?: Record<string, string | undefined>;
  home?: string;
}): { electron: string; builder: string };
export function downloadFailure(output: string): DownloadFailure | null;
export function downloadFailureMessage(
  failure: DownloadFailure,
  options?: { platform?: string; env?: Record<string, string | undefined>; home?: string },
): string;
export function dist(options?: {
  args?: string[];
  command?: [string, string[]];
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  env?: Record<string, string | undefined>;
}): Promise<number>;
