import { electronRequired, suiteBinary } from './electron-binary';

/**
 * Says once, plainly, which binary the Electron suite runs, or why it is skipped. With
 * CHRONOKEY_REQUIRE_ELECTRON=1 (the CI and release workflows) a missing binary fails the run.
 */
export default function globalSetup(): void {
  const binary = suiteBinary();
  if (binary.path !== null) {
    console.log(`\n[electron suite] running against ${binary.path}\n`);
  } else if (electronRequired()) {
    throw new Error(`[electron suite] FAILED: CHRONOKEY_REQUIRE_ELECTRON=1, but ${binary.reason}`);
  } else {
    console.log(`\n[electron suite] SKIPPED: ${binary.reason}\n`);
  }
}
