#!/usr/bin/env node
// Builds the Node-side bundles with esbuild: the CLI, Electron's main process and the preload.
// Dependencies stay external for main and the CLI (they ship in node_modules, and keytar is
// native); the sandboxed preload is bundled whole, since it may only require 'electron'.
//
// `--dev` (npm run dev) is the hot-reload loop: Vite's dev server serves the renderer with hot
// module replacement, esbuild rebuilds main and the preload on change, and Electron restarts
// after each rebuild. The window loads the dev server only because CHRONOKEY_DEV_SERVER_URL is
// set and the app is not packaged (main/shell/dev.ts).
import { build, context } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { findElectronBinary } from './electron-binary.mjs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { __CHRONOKEY_VERSION__: JSON.stringify(version) },
};

/**
 * Swaps main/core/qr/zxing-wasm-binary.ts (which reads the .wasm from node_modules) for a module
 * holding its bytes: no file to find inside an asar or next to the CLI, and nothing fetched.
 */
const embeddedZxingWasm = {
  name: 'embedded-zxing-wasm',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]main[\\/]core[\\/]qr[\\/]zxing-wasm-binary\.ts$/ }, (args) => ({
      contents:
        "import bytes from 'zxing-wasm/reader/zxing_reader.wasm';\n" +
        'export function zxingWasmBytes() { return bytes; }\n',
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
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
  // The QR worker thread (main/core/qr/worker-pool.ts finds it next to the bundle using it),
  // bundled whole (jsQR and zxing-wasm's glue are pure JS) so it needs no module resolution
  // inside Electron's asar, with zxing-cpp's WebAssembly embedded (embeddedZxingWasm).
  ...['cli', 'main'].map((dir) => ({
    entryPoints: ['main/core/qr/qr-worker.ts'],
    outfile: `dist/${dir}/qr-worker.mjs`,
    format: 'esm',
    loader: { '.wasm': 'binary' },
    plugins: [embeddedZxingWasm],
  })),
];
const workerTargets = targets.filter((target) => target.entryPoints[0].endsWith('qr-worker.ts'));

const clean = () => {
  rmSync('dist/cli', { recursive: true, force: true });
  rmSync('dist/main', { recursive: true, force: true });
  rmSync('dist/preload', { recursive: true, force: true });
};

if (process.argv.includes('--dev')) {
  await dev();
} else {
  clean();
  for (const target of targets) {
    if (!existsSync(target.entryPoints[0])) continue;
    await build({ ...common, ...target });
  }
}

async function dev() {
  const port = Number(process.env.CHRONOKEY_DEV_PORT ?? 5173);
  const devUrl = `http://localhost:${port}/`;
  const found = findElectronBinary();
  if (!found.installed) {
    console.error(`[dev] ${found.reason}`);
    process.exit(1);
  }
  const electronPath = found.path;
  clean();
  const vite = spawn('npx', ['vite', '--port', String(port), '--strictPort'], {
    stdio: 'inherit',
  });
  await waitForServer(devUrl, vite);
  let electron = null;
  let restarting = false;
  let stopping = false;

  const stop = (code = 0) => {
    if (stopping) return;
    stopping = true;
    electron?.kill();
    vite.kill();
    for (const watcher of watchers) void watcher.dispose();
    process.exitCode = code;
  };

  const launch = () => {
    electron = spawn(electronPath, ['.'], {
      stdio: 'inherit',
      env: { ...process.env, CHRONOKEY_DEV_SERVER_URL: devUrl },
    });
    electron.on('exit', () => {
      // Closing the window ends the session; a restart after a rebuild does not.
      if (restarting) {
        restarting = false;
        launch();
      } else {
        stop();
      }
    });
  };

  let pending = new Set(['main', 'preload']);
  const rebuilt = (name) => ({
    name: `restart-after-${name}`,
    setup(esbuild) {
      esbuild.onEnd((result) => {
        if (result.errors.length > 0) return;
        pending.delete(name);
        if (pending.size > 0) return; // first build: wait for both bundles
        if (electron === null) {
          launch();
        } else if (!restarting) {
          console.log(`[dev] ${name} changed: restarting Electron`);
          restarting = true;
          electron.kill();
        }
      });
    },
  });

  for (const target of workerTargets) await build({ ...common, ...target });
  const watchers = [];
  for (const [name, target] of [
    ['main', targets[1]],
    ['preload', targets[2]],
  ]) {
    const ctx = await context({ ...common, ...target, plugins: [rebuilt(name)] });
    await ctx.watch();
    watchers.push(ctx);
  }
  vite.on('exit', (code) => stop(code ?? 1));
  process.on('SIGINT', () => stop());
  process.on('SIGTERM', () => stop());
}

async function waitForServer(url, child) {
  for (let attempt = 0; attempt < 300 && child.exitCode === null; attempt++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The Vite dev server did not answer at ${url}`);
}
