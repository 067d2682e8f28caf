// Types for scripts/security-scan.mjs, used by test/unit/security.
export interface Finding {
  id: string;
  severity: number;
  severityName: string;
  confidence: string;
  file: string;
  line: number;
  description: string;
}
export interface AcceptedFinding {
  id: string;
  file: string;
  why: string;
}
export const OFFLINE_EXCLUDED_CHECKS: string[];
export const TARGETS: { input: string; exclude: string[] }[];
export function acceptedFindings(markdown: string): AcceptedFinding[];
export function unexplained(issues: Finding[], accepted: AcceptedFinding[]): Finding[];
export function scan(
  input: string,
  options?: { electronVersion?: string; exclude?: string[] },
): Promise<{ checks: number; errors: { file: string; message: string }[]; issues: Finding[] }>;
