import { useEffect, useState } from 'react';
import { describeStrength, loadStrengthChecker } from '../../../shared/password-strength';
import type { Check, Strength } from '../../../shared/password-strength';

export { MIN_PASSWORD_SCORE } from '../../../shared/password-strength';

/** Measures `password` as it is typed; null until the estimator has loaded (or when empty). */
export function useStrength(password: string): Strength | null {
  const [checker, setChecker] = useState<Check | null>(null);
  useEffect(() => {
    let live = true;
    loadStrengthChecker().then(
      (check) => live && setChecker(() => check),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (!checker || password === '') return null;
  return describeStrength(checker(password.slice(0, 256)));
}

/** A five-step meter and the sentence, announced politely as the password changes. */
export function PasswordStrength({ id, strength }: { id: string; strength: Strength | null }) {
  const score = strength?.score ?? -1;
  return (
    <div className="strength" id={id}>
      <div
        className={`strength-meter strength-${score}`}
        role="meter"
        aria-label="Password strength"
        aria-valuemin={0}
        aria-valuemax={4}
        aria-valuenow={Math.max(0, score)}
        aria-valuetext={strength ? strength.verdict : 'Not measured yet'}
      >
        {[0, 1, 2, 3, 4].map((step) => (
          <span key={step} className={step <= score ? 'strength-step is-on' : 'strength-step'} />
        ))}
      </div>
      <p className="strength-text" aria-live="polite">
        {strength ? (
          <>
            <strong>{strength.verdict}.</strong> {strength.sentence}
          </>
        ) : (
          'Use a long passphrase of several unrelated words; you need it to restore.'
        )}
      </p>
    </div>
  );
}
