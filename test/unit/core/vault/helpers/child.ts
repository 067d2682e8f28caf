import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

const WRITER = join(import.meta.dirname, 'vault-writer.ts');
const running = new Set<WriterChild>();

/** Kills every writer this test process started that is still running (for afterAll). */
export async function killAllWriters(): Promise<void> {
  const children = [...running];
  for (const child of children) child.process.kill('SIGKILL');
  await Promise.all(children.map((child) => child.done));
}

export interface WriterChild {
  process: ChildProcessWithoutNullStreams;
  /** Resolves once the child has opened the vault and waits for "go". */
  ready: Promise<void>;
  /** Resolves when the process has exited and all its output has been read. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Lines printed so far (without the "ready" line). */
  lines(): string[];
  stderr(): string;
  go(): void;
  /** Resolves true once the child has printed a line after "ready", false after `timeoutMs`. */
  firstLine(timeoutMs: number): Promise<boolean>;
}

/** Starts `node --import tsx vault-writer.ts <args>` (see that file for the modes). */
export function startWriter(args: string[]): WriterChild {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const lineWaiters = new Set<() => void>();
  let markReady: () => void = () => undefined;
  let failReady: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) markReady();
    if (out.split('\n').length > 2) for (const wake of lineWaiters) wake();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      failReady(new Error(`writer exited before it was ready (${code ?? signal}): ${err}`));
      resolve({ code, signal });
    });
  });
  // Unhandled if nobody waits for readiness of a child that is killed while starting.
  ready.catch(() => undefined);
  const lines = () =>
    out
      .split('\n')
      .slice(1, -1) // drop "ready" and the possibly incomplete last line
      .filter((line) => line.length > 0);
  const writer: WriterChild = {
    process: child,
    ready,
    done,
    lines,
    stderr: () => err,
    go: () => void child.stdin.write('go\n'),
    firstLine: (timeoutMs) =>
      new Promise<boolean>((resolve) => {
        if (lines().length > 0) return resolve(true);
        const finish = (value: boolean) => {
          lineWaiters.delete(wake);
          clearTimeout(timer);
          resolve(value);
        };
        const wake = () => finish(true);
        const timer = setTimeout(() => finish(false), timeoutMs);
        lineWaiters.add(wake);
      }),
  };
  running.add(writer);
  void done.then(() => running.delete(writer));
  return writer;
}
