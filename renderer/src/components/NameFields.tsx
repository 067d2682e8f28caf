import { useId } from 'react';

/**
 * An account's two names, the same in Add account and Edit account: the issuer (the site) and
 * the account name (who you are there).
 */
export function NameFields({
  issuer,
  account,
  onIssuer,
  onAccount,
  error,
  first = false,
}: {
  issuer: string;
  account: string;
  onIssuer: (value: string) => void;
  onAccount: (value: string) => void;
  /** A problem with the names (both empty, too long), shown under them. */
  error?: string | undefined;
  /** The issuer field takes focus when the dialog opens. */
  first?: boolean;
}) {
  const id = useId();
  return (
    <>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-issuer`}>Issuer</label>
          <input
            id={`${id}-issuer`}
            data-initial={first ? '' : undefined}
            autoComplete="off"
            placeholder="e.g. GitHub"
            value={issuer}
            onChange={(event) => onIssuer(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-account`}>Account name</label>
          <input
            id={`${id}-account`}
            autoComplete="off"
            placeholder="e.g. you@example.com"
            value={account}
            onChange={(event) => onAccount(event.target.value)}
          />
        </div>
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </>
  );
}
