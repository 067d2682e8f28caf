// Types for scripts/test-summary.mjs, used by test/unit/build.
export interface Step {
  name: string;
  kind: 'check' | 'suite';
  status: 'passed' | 'failed' | 'not run';
  exitCode?: number;
  seconds?: number;
  why?: string;
}
export const REPORTS: Record<string, string>;
export const STEPS_FILE: string;
export function countReport(report: unknown): {
  passed: number;
  failed: number;
  skipped: number;
  errors: string[];
  skipReason: string | null;
};
export function summarise(input: {
  steps?: Step[] | null;
  reports: Record<string, unknown>;
  checkout?: { changed: string[] | null; why?: string } | null;
}): { lines: string[]; exitCode: number };
export function readReports(): Record<string, unknown>;
