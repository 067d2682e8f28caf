import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ImportPreview } from '../../../../shared/contract';
import { PasswordField } from '../../components/PasswordField';

/** What could not be read, and what was found but cannot be imported: listed, never hidden. */
export function ImportProblems({
  errors,
  skipped,
}: {
  errors: ReadonlyArray<{ source: string; message: string }>;
  skipped: ImportPreview['skipped'];
}) {
  const id = useId();
  return (
    <>
      {errors.length > 0 && (
        <section className="import-problems" aria-labelledby={`${id}-problems`}>
          <h3 id={`${id}-problems`} className="import-section-title">
            Could not read
          </h3>
          <ul aria-labelledby={`${id}-problems`}>
            {errors.map((problem, index) => (
              <li key={`${problem.source}-${index}`}>
                {problem.message.includes(problem.source) ? (
                  problem.message
                ) : (
                  <>
                    <strong>{problem.source}:</strong> {problem.message}
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      {skipped.length > 0 && (
        <section className="import-skipped" aria-labelledby={`${id}-skipped`}>
          <h3 id={`${id}-skipped`} className="import-section-title">
            Not imported ({skipped.length})
          </h3>
          <ul aria-labelledby={`${id}-skipped`}>
            {skipped.map((entry, index) => (
              <li key={`${entry.source}-${index}`}>
                <strong>{entry.name || 'An entry'}</strong> in {entry.source}: {entry.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** An encrypted backup in the import, waiting for its password. */
export function ImportPasswordForm({
  backup,
  busy,
  onUnlock,
}: {
  backup: { source: string; label: string };
  busy: boolean;
  onUnlock: (source: string, password: string) => Promise<string | null>;
}) {
  const id = useId();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password === '') {
      setError(`Type the password that protects ${backup.source}.`);
      return;
    }
    setError(null);
    const failed = await onUnlock(backup.source, password);
    if (failed) {
      setError(failed);
      setPassword('');
    }
  }

  return (
    <form className="import-password" noValidate onSubmit={submit} aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="import-password-title">
        <strong>{backup.source}</strong> is an encrypted {backup.label}. Type its password to read
        it.
      </p>
      <div className="import-password-row">
        <PasswordField
          label={`Password for ${backup.source}`}
          value={password}
          onChange={setPassword}
          autoComplete="off"
          error={error}
          autoFocus
        />
        <button type="submit" className="button" disabled={busy}>
          Unlock
        </button>
      </div>
    </form>
  );
}
