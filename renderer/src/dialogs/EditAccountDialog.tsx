import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { MAX_NOTE_LENGTH, type AccountView } from '../../../shared/domain';
import { Dialog } from '../components/Dialog';
import { api, call, errorMessage } from '../lib/api';
import { parseTags } from '../lib/format';
import { NameFields } from '../components/NameFields';
import { FormError, DialogButtons } from '../components/FormParts';

const KIND: Record<AccountView['type'], string> = {
  totp: 'Time-based code (TOTP)',
  hotp: 'Counter-based code (HOTP)',
  steam: 'Steam Guard code',
};

export function EditAccountDialog({
  account,
  knownTags,
  onClose,
  onSaved,
}: {
  account: AccountView;
  knownTags: readonly string[];
  onClose: () => void;
  onSaved: (view: AccountView) => void;
}) {
  const [issuer, setIssuer] = useState(account.issuer);
  const [name, setName] = useState(account.account);
  const [tags, setTags] = useState(account.tags.join(', '));
  const [note, setNote] = useState(account.note ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (issuer.trim() === '' && name.trim() === '') {
      setError('Give the account a name: the site (issuer), your account name, or both.');
      return;
    }
    setBusy(true);
    try {
      const view = await call(() =>
        api().accounts.update({
          id: account.id,
          changes: {
            issuer: issuer.trim(),
            account: name.trim(),
            tags: parseTags(tags),
            note: note.trim(),
          },
        }),
      );
      onSaved(view);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  const details = [
    KIND[account.type],
    account.type === 'steam' ? null : `${account.digits} digits`,
    account.type === 'hotp' ? `counter ${account.counter}` : `every ${account.period} s`,
    account.algorithm,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <Dialog title="Edit account" onClose={onClose} description={details}>
      <form onSubmit={submit} noValidate className="form">
        <NameFields issuer={issuer} account={name} onIssuer={setIssuer} onAccount={setName} first />
        <div className="field">
          <label htmlFor={`${id}-tags`}>Tags</label>
          <input
            id={`${id}-tags`}
            autoComplete="off"
            list={`${id}-known-tags`}
            placeholder="e.g. work, personal"
            value={tags}
            onChange={(event) => setTags(event.target.value)}
            aria-describedby={`${id}-tags-hint`}
          />
          <datalist id={`${id}-known-tags`}>
            {knownTags.map((tag) => (
              <option key={tag} value={tag} />
            ))}
          </datalist>
          <p className="field-hint" id={`${id}-tags-hint`}>
            Separate tags with commas.
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>Note</label>
          <textarea
            id={`${id}-note`}
            rows={3}
            maxLength={MAX_NOTE_LENGTH}
            value={note}
            onChange={(event) => setNote(event.target.value)}
            aria-describedby={`${id}-note-hint`}
          />
          <p className="field-hint" id={`${id}-note-hint`}>
            For you: which phone number, where the recovery codes are. Kept in the vault and synced.
          </p>
        </div>
        {account.warnings.length > 0 && (
          <ul className="warnings">
            {account.warnings.map((warning) => (
              <li key={warning.code}>{warning.message}</li>
            ))}
          </ul>
        )}
        <FormError message={error} />
        <DialogButtons onCancel={onClose}>
          <button type="submit" className="button button-primary" disabled={busy}>
            Save
          </button>
        </DialogButtons>
      </form>
    </Dialog>
  );
}
