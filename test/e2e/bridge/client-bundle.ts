import path from 'node:path';
import { build } from 'esbuild';

/** Bundles client.ts for the browser; the token is baked in so it never sits on a global. */
export async function buildClientBundle(token: string, tokenHeader: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(import.meta.dirname, 'client.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    define: {
      __BRIDGE_TOKEN__: JSON.stringify(token),
      __TOKEN_HEADER__: JSON.stringify(tokenHeader),
    },
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no client bundle');
  return output.text;
}
