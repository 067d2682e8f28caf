import type { KeychainPort } from '../core/vault/keychain';

/** Everything one CLI invocation reads and writes: the process's, or a test's. */
export interface CliIo {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadStream;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  keychain?: KeychainPort;
  platform?: NodeJS.Platform;
  home?: string;
}
