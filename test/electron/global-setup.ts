import { findElectronBinary } from './electron-binary';

/** Says once, plainly, why the Electron suite will be skipped (or which binary it runs). */
export default function globalSetup(): void {
  const binary = findElectronBinary();
  if (binary.path === null) console.log(`\n[electron suite] SKIPPED: ${binary.reason}\n`);
  else console.log(`\n[electron suite] running against ${binary.path}\n`);
}
