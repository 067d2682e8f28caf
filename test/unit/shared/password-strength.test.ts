import { describe, expect, it } from 'vitest';
import {
  MIN_PASSWORD_SCORE,
  describeStrength,
  loadStrengthChecker,
} from '../../../shared/password-strength';

describe('backup password strength (zxcvbn-ts with the common dictionary)', () => {
  it('calls common and keyboard passwords weak, with a reason and our own wording', async () => {
    const check = await loadStrengthChecker();
    for (const password of ['password', 'qwerty123', '123456789', 'iloveyou']) {
      const strength = describeStrength(check(password));
      expect(strength.score, password).toBeLessThan(MIN_PASSWORD_SCORE);
      expect(strength.verdict).toMatch(/weak/i);
      // The estimator's warning key was translated into a sentence, not shown as a key.
      expect(strength.sentence).toMatch(/guess/);
      expect(strength.sentence).not.toMatch(/\b(commonPasswords|topTen|keyPattern)\b/);
    }
  });

  it('accepts a long passphrase of unrelated words as strong, without advice', async () => {
    const check = await loadStrengthChecker();
    const strength = describeStrength(check('maple orbit cactus lantern drift'));
    expect(strength.score).toBeGreaterThanOrEqual(3);
    expect(strength.verdict).toMatch(/strong/i);
    expect(strength.sentence).toMatch(/^(Hard|Very hard) to guess\.$/);
  });

  it('loads the estimator once', async () => {
    expect(loadStrengthChecker()).toBe(loadStrengthChecker());
  });
});
