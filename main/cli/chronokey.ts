import { removeTempFilesNow } from '../core/backup/export-files';
import { runCli } from './run';

// Ctrl+C or a kill during an export: its temp file (which may hold plain text) goes with us.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  process.on(signal, () => {
    removeTempFilesNow();
    process.exit(code);
  });
}

process.exitCode = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
