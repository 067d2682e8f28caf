/**
 * Starts the test bridge as its own process: `node --import tsx test/e2e/bridge/main.ts [dir]`.
 * Prints one JSON line `{"url":…,"token":…}` on stdout, then serves until stdin closes or it
 * is told to stop, so it never outlives the test run that started it.
 */
import path from 'node:path';
import { startBridge } from './server';

const rendererDir = path.resolve(process.argv[2] ?? 'dist/renderer');
const bridge = await startBridge({ rendererDir });
process.stdout.write(`${JSON.stringify({ url: bridge.url, token: bridge.token })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await bridge.close();
  process.exit(0);
}
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.stdin.resume();
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
