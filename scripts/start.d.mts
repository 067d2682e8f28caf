// Types for scripts/start.mjs, used by test/unit/build.
export function firstErrorLine(output: string | null | undefined): string | null;
export function installFailureMessage(failure: {
  version: string;
  problem: string;
  reason: string;
  output: string;
}): string;
export function start(options?: {
  root?: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  installer?: string;
  log?: (line: string) => void;
  runApp?: (binary: string, args: string[], cwd: string) => Promise<number>;
}): Promise<number>;
