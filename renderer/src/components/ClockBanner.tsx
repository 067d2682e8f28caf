import { useEffect, useState } from 'react';
import type { ClockHealth } from '../../../shared/contract';
import { clockNeedsWarning } from '../../../shared/clock-health';
import { api, call } from '../lib/api';
import '../styles/system.css';

/** How often the OS is asked again while the window is open. */
const RECHECK_MS = 15 * 60 * 1000;

/**
 * Warns when the system clock may be wrong, since every code is computed from it, and says
 * how to fix it on this system. Main asks the OS (never a time server); nothing shows when
 * all is well. When the OS cannot tell, a softer warning asks the user to check.
 */
export function ClockBanner() {
  const [health, setHealth] = useState<ClockHealth | null>(null);
  const [dismissed, setDismissed] = useState(false);

  useEffect(() => {
    let alive = true;
    const check = () =>
      void call(() => api().system.clockHealth())
        .then((next) => alive && setHealth(next))
        .catch(() => undefined);
    check();
    const timer = window.setInterval(check, RECHECK_MS);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, []);

  if (dismissed || !clockNeedsWarning(health)) return null;
  return (
    <div className="clock-banner" role="status" aria-labelledby="clock-banner-title">
      <div className="clock-banner-text">
        <p className="clock-banner-title" id="clock-banner-title">
          {health.state === 'unknown'
            ? 'Chronokey could not check that the system clock is kept right'
            : 'Your codes may be wrong: the system clock is not kept right'}
        </p>
        <p>{health.summary}</p>
        {health.fix.length > 0 && (
          <details>
            <summary>How to fix it</summary>
            <ol>
              {health.fix.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
          </details>
        )}
      </div>
      <button type="button" className="button" onClick={() => setDismissed(true)}>
        Dismiss
      </button>
    </div>
  );
}
