import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, devContentSecurityPolicy } from '../../../main/shell/csp';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values.join(' ')];
    }),
  );
}

describe('CSP', () => {
  it('is the strict policy: own files only, nothing inline, nothing framed or posted', () => {
    expect(Object.fromEntries(directives(CONTENT_SECURITY_POLICY))).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('relaxes only what Vite dev needs, for the dev origin only', () => {
    const dev = directives(devContentSecurityPolicy('http://localhost:5173/'));
    expect(dev.get('default-src')).toBe("'none'");
    expect(dev.get('connect-src')).toBe("'self' http://localhost:5173 ws://localhost:5173");
    expect(dev.get('script-src')).not.toContain('unsafe-eval');
    expect(dev.get('frame-ancestors')).toBe("'none'");
  });
});
