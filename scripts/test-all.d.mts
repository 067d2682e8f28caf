// Types for scripts/test-all.mjs, used by test/unit/build.
export const CHECKS: { name: string; kind: 'check'; command: [string, string[]] }[];
export const SUITES: { name: string; kind: 'suite'; command: [string, string[]] }[];
export function checkoutState(): Map<string, string> | null;
export function changedBy(before: Map<string, string>, after: Map<string, string>): string[];
