import { memo, useSyncExternalStore } from 'react';
import type { CodeStore } from '../lib/code-store';
import { groupCode, maskCode, secondsLeft } from '../lib/format';

/** The last seconds of a code, when the next one is shown beside it. */
export const NEXT_CODE_SECONDS = 5;

const RING_RADIUS = 10;
const RING_LENGTH = 2 * Math.PI * RING_RADIUS;
const noTick = () => () => undefined;

/**
 * One account's code, its countdown ring and (near expiry) the next code. Subscribes to its
 * own code only, plus the shared one-second tick for time-based accounts.
 */
export const CodeDisplay = memo(function CodeDisplay({
  id,
  timed,
  store,
  showNext,
  onCopyNext,
}: {
  id: string;
  timed: boolean;
  store: CodeStore;
  showNext: boolean;
  /** A click on "Next: …" copies the next code. */
  onCopyNext: () => void;
}) {
  const view = useSyncExternalStore(
    (listener) => store.subscribe(id, listener),
    () => store.get(id),
  );
  useSyncExternalStore(timed ? (listener) => store.subscribeTick(listener) : noTick, () =>
    store.second(),
  );

  if (!view) {
    return (
      <>
        <div className="code-block">
          <span className="code code-pending">
            <span className="visually-hidden">Code loading</span>
            <span aria-hidden="true">··· ···</span>
          </span>
          <span className="next-code" aria-hidden="true" />
        </div>
        {timed && <span className="ring ring-placeholder" aria-hidden="true" />}
      </>
    );
  }

  const grouped = groupCode(view.code);
  const hasWindow = timed && view.validUntil !== undefined;
  const left = hasWindow ? secondsLeft(view.validUntil ?? 0, store.now()) : 0;
  const period =
    view.validUntil !== undefined && view.validFrom !== undefined
      ? Math.max(1, Math.round((view.validUntil - view.validFrom) / 1000))
      : 30;
  const ending = hasWindow && left <= NEXT_CODE_SECONDS;
  const next = ending && showNext && view.next ? groupCode(view.next.code) : null;

  return (
    <>
      <div className={`code-block${ending ? ' code-ending' : ''}`}>
        <span className="code code-value" role="img" aria-label={`Code ${view.code}`}>
          {grouped}
        </span>
        <span className="code code-mask" aria-hidden="true">
          {maskCode(view.code)}
        </span>
        {/* The line is always there (empty until the last seconds), so the code never moves. */}
        {next ? (
          <button
            type="button"
            tabIndex={-1}
            className="next-code next-code-button"
            title="Copy the next code"
            onClick={onCopyNext}
          >
            Next: {next}
          </button>
        ) : (
          <span className="next-code" aria-hidden="true" />
        )}
      </div>
      {hasWindow ? (
        <Ring left={left} period={period} windowEnd={view.validUntil ?? 0} />
      ) : (
        timed && <span className="ring ring-placeholder" aria-hidden="true" />
      )}
    </>
  );
});

function Ring({ left, period, windowEnd }: { left: number; period: number; windowEnd: number }) {
  const fraction = Math.min(1, left / period);
  const label = `${left} ${left === 1 ? 'second' : 'seconds'} left`;
  return (
    <span
      className={`ring${left <= NEXT_CODE_SECONDS ? ' ring-ending' : ''}`}
      role="img"
      aria-label={label}
      title={label}
    >
      <svg viewBox="0 0 24 24" width="28" height="28" focusable="false" aria-hidden="true">
        <circle className="ring-track" cx="12" cy="12" r={RING_RADIUS} />
        <circle
          // A new window starts a fresh circle, so the ring never animates backwards.
          key={windowEnd}
          className="ring-progress"
          cx="12"
          cy="12"
          r={RING_RADIUS}
          strokeDasharray={RING_LENGTH}
          strokeDashoffset={RING_LENGTH * (1 - fraction)}
          transform="rotate(-90 12 12)"
        />
      </svg>
      <span className="ring-seconds" aria-hidden="true">
        {left}
      </span>
    </span>
  );
}
