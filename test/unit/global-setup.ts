import { execFileSync } from 'node:child_process';

/** The CLI tests drive the built `chronokey` exactly as users do, so build it first. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
