#!/usr/bin/env node
// Builds the Node-side bundles with esbuild: the CLI, Electron's main process and the preload.
// Dependencies stay external for main and the CLI (they ship in node_modules, and keytar is
// native); the sandboxed preload is bundled whole, since it may only require 'electron'.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { __CHRONOKEY_VERSION__: JSON.stringify(version) },
};

const targets = [
  {
    entryPoints: ['main/cli/chronokey.ts'],
    outfile: 'dist/cli/chronokey.mjs',
    format: 'esm',
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    entryPoints: ['main/index.ts'],
    outfile: 'dist/main/index.mjs',
    format: 'esm',
    packages: 'external',
  },
  {
    entryPoints: ['main/preload/index.ts'],
    outfile: 'dist/preload/index.cjs',
    format: 'cjs',
    external: ['electron'],
  },
];

rmSync('dist/cli', { recursive: true, force: true });
rmSync('dist/main', { recursive: true, force: true });
rmSync('dist/preload', { recursive: true, force: true });
for (const target of targets) {
  if (!existsSync(target.entryPoints[0])) continue;
  await build({ ...common, ...target });
}
