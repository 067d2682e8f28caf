import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ImportPreview } from '../../../shared/contract';
import type { AccountView } from '../../../shared/domain';
import { Dialog } from '../components/Dialog';
import { ImportPreviewList } from '../components/ImportPreviewList';
import { api, call, errorCode, errorMessage, onAppEventPayload } from '../lib/api';
import { FILES_PER_CALL, FileTooLargeError, inGroups, readImportFile } from '../lib/files';
import type { ImportFileData } from '../lib/files';
import { ImportPasswordForm, ImportProblems } from './import/ImportResults';
import { ImportSources } from './import/ImportSources';

/** Something handed to the import from outside the dialog: a drop, a paste, the link box. */
export interface ImportInput {
  /** Increasing; the dialog handles each input once. */
  seq: number;
  files?: Array<{ file: File; name: string }>;
  text?: string;
  /** Scan the screen for QR codes (the empty screen's "Scan a QR code on screen"). */
  scan?: boolean;
}

interface ImportDialogProps {
  incoming: readonly ImportInput[];
  /** Files are being dragged over the window. */
  dragging: boolean;
  onClose: () => void;
  onImported: (added: AccountView[]) => void;
  onLocked: () => void;
}

type Progress = { done: number; total: number; stage: string };
type Work = (previewId: string | undefined) => Promise<ImportPreview | null>;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The one import flow: links, QR code images, the screen and other apps' backups all become
 * one preview, the user picks what to keep, and the chosen accounts are added in one write.
 */
export function ImportDialog({
  incoming,
  dragging,
  onClose,
  onImported,
  onLocked,
}: ImportDialogProps) {
  const id = useId();
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [localErrors, setLocalErrors] = useState<Array<{ source: string; message: string }>>([]);
  const [text, setText] = useState('');

  const previewRef = useRef<ImportPreview | null>(null);
  const knownKeys = useRef(new Set<string>());
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const handled = useRef(0);
  const closed = useRef(false);
  const committed = useRef(false);
  const busyRef = useRef(false);
  const onLockedRef = useRef(onLocked);
  onLockedRef.current = onLocked;

  const applyPreview = useCallback((next: ImportPreview) => {
    // New rows start as the core suggests; rows the user has seen keep the user's choice.
    const known = knownKeys.current;
    setSelected((current) => {
      const chosen = new Set<string>();
      for (const item of next.items) {
        const keep = known.has(item.key) ? current.has(item.key) : item.selected;
        if (keep) chosen.add(item.key);
      }
      return chosen;
    });
    knownKeys.current = new Set(next.items.map((item) => item.key));
    previewRef.current = next;
    setPreview(next);
  }, []);

  /**
   * Runs import calls one after another, each adding to the same preview. Returns the error
   * message when `inline` is set (the caller shows it next to its field), else shows it here.
   */
  const run = useCallback(
    (what: string, work: Work, inline = false): Promise<string | null> => {
      const next = chain.current.then(async (): Promise<string | null> => {
        if (closed.current) return null;
        busyRef.current = true;
        setBusy(what);
        setProgress(null);
        if (!inline) setError(null);
        try {
          const result = await work(previewRef.current?.id);
          if (result && !closed.current) applyPreview(result);
          return null;
        } catch (caught) {
          if (errorCode(caught) === 'VAULT_LOCKED') {
            onLockedRef.current();
            return null;
          }
          if (inline) return errorMessage(caught);
          setError(errorMessage(caught));
          return null;
        } finally {
          busyRef.current = false;
          if (!closed.current) {
            setBusy(null);
            setProgress(null);
          }
        }
      });
      chain.current = next;
      return next;
    },
    [applyPreview],
  );

  const addFiles = useCallback(
    (files: ReadonlyArray<{ file: File; name: string }>) => {
      if (files.length === 0) return;
      void run(`Reading ${plural(files.length, 'file', 'files')}…`, async (previewId) => {
        const read: ImportFileData[] = [];
        const tooLarge: Array<{ source: string; message: string }> = [];
        for (const { file, name } of files) {
          try {
            read.push(await readImportFile(file, name));
          } catch (caught) {
            if (!(caught instanceof FileTooLargeError)) throw caught;
            tooLarge.push({ source: name, message: caught.message });
          }
        }
        if (tooLarge.length > 0) setLocalErrors((current) => [...current, ...tooLarge]);
        let result: ImportPreview | null = null;
        let currentId = previewId;
        const groups = inGroups(read, FILES_PER_CALL);
        for (const [index, group] of groups.entries()) {
          if (groups.length > 1) {
            setProgress({
              done: index * FILES_PER_CALL,
              total: read.length,
              stage: 'Reading files',
            });
          }
          const input =
            currentId === undefined ? { files: group } : { previewId: currentId, files: group };
          result = await call(() => api().import.addFiles(input));
          currentId = result.id;
          applyPreview(result);
        }
        return result;
      });
    },
    [applyPreview, run],
  );

  const addText = useCallback(
    (value: string) => {
      if (value.trim() === '') {
        setError(
          'Paste one or more otpauth:// links (any text around them is fine), then choose Find accounts.',
        );
        return;
      }
      void run('Looking for accounts…', async (previewId) => {
        const result = await call(() =>
          api().import.addText(
            previewId === undefined ? { text: value } : { previewId, text: value },
          ),
        );
        // The text is in the preview now; the box is free for more.
        setText((current) => (current === value ? '' : current));
        return result;
      });
    },
    [run],
  );

  const openFiles = () =>
    void run('Waiting for you to choose files…', (previewId) =>
      call(() => api().import.openFiles(previewId === undefined ? {} : { previewId })),
    );

  const scanScreen = useCallback(
    () =>
      void run('Scanning your screen…', (previewId) =>
        call(() => api().import.scanScreen(previewId === undefined ? {} : { previewId })),
      ),
    [run],
  );

  const unlock = (source: string, password: string) =>
    run(
      `Opening ${source}…`,
      (previewId) => {
        if (previewId === undefined) return Promise.resolve(null);
        return call(() => api().import.unlock({ previewId, source, password }));
      },
      true,
    );

  // Inputs from outside (a drop, a paste, the link box), each handled once and in order.
  useEffect(() => {
    for (const input of incoming) {
      if (input.seq <= handled.current) continue;
      handled.current = input.seq;
      if (input.files) addFiles(input.files);
      if (input.text !== undefined) {
        setText(input.text);
        addText(input.text);
      }
      if (input.scan) scanScreen();
    }
  }, [incoming, addFiles, addText, scanScreen]);

  useEffect(
    () =>
      onAppEventPayload('onImportProgress', (payload) => {
        if (busyRef.current) setProgress(payload);
      }),
    [],
  );

  // Leaving without importing (Cancel, Escape, the vault locking) lets main forget the preview.
  useEffect(
    () => () => {
      closed.current = true;
      const open = previewRef.current;
      if (open && !committed.current) {
        void call(() => api().import.cancel({ previewId: open.id })).catch(() => undefined);
      }
    },
    [],
  );

  async function commit() {
    const current = previewRef.current;
    if (!current) return;
    const keys = current.items.filter((item) => selected.has(item.key)).map((item) => item.key);
    if (keys.length === 0) return;
    await run(`Importing ${plural(keys.length, 'account', 'accounts')}…`, async (previewId) => {
      if (previewId === undefined) return null;
      const { added } = await call(() => api().import.commit({ previewId, keys }));
      committed.current = true;
      onImported(added);
      return null;
    });
  }

  const items = preview?.items ?? [];
  const chosenCount = items.filter((item) => selected.has(item.key)).length;
  const allChosen = items.length > 0 && chosenCount === items.length;
  const sources = useMemo(() => new Set(items.map((item) => item.source)).size, [items]);
  const errors = [
    ...localErrors,
    ...(preview?.errors ?? []).map(({ source, message }) => ({ source, message })),
  ];
  const skipped = preview?.skipped ?? [];
  const needsPassword = preview?.needsPassword ?? [];
  const batches = preview?.batches ?? [];

  const toggle = useCallback((key: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  }, []);

  const selectAll = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = chosenCount > 0 && !allChosen;
  }, [chosenCount, allChosen]);

  return (
    <Dialog
      title="Import accounts"
      onClose={onClose}
      initialFocus="[data-initial]"
      wide
      description="Find accounts in links, QR code pictures, your screen or another app’s backup. Nothing is added until you choose Import."
    >
      <ImportSources
        text={text}
        onText={setText}
        onFind={() => addText(text)}
        onOpenFiles={openFiles}
        onScan={scanScreen}
        busy={busy !== null}
        compact={preview !== null}
        dragging={dragging}
      />

      <div className="import-status" role="status" aria-live="polite">
        {busy && (
          <div className="import-busy">
            <span>
              {progress ? `${progress.stage} (${progress.done} of ${progress.total})` : busy}
            </span>
            {progress && progress.total > 0 && (
              <progress aria-label="Import progress" max={progress.total} value={progress.done} />
            )}
          </div>
        )}
        {preview && !busy && (
          <p className="import-summary">
            {items.length === 0
              ? 'No accounts found yet.'
              : `Found ${plural(items.length, 'account', 'accounts')}${
                  sources > 1 ? ` in ${sources} sources` : ''
                }.`}
          </p>
        )}
        {batches.map((batch) => (
          <p key={batch.id} className="import-batch">
            <strong>
              {batch.scanned} of {batch.size} codes scanned
            </strong>
            {batch.scanned < batch.size &&
              ' from a Google Authenticator export. Open or scan the next QR code to add the rest.'}
          </p>
        ))}
      </div>

      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}

      {needsPassword.map((backup) => (
        <ImportPasswordForm
          key={backup.source}
          backup={backup}
          busy={busy !== null}
          onUnlock={unlock}
        />
      ))}

      {items.length > 0 && (
        <section className="import-found" aria-labelledby={`${id}-found`}>
          <div className="import-found-header">
            <h3 id={`${id}-found`} className="import-section-title">
              Accounts found ({items.length})
            </h3>
            <label className="import-select-all">
              <input
                ref={selectAll}
                type="checkbox"
                checked={allChosen}
                onChange={(event) =>
                  setSelected(
                    event.target.checked ? new Set(items.map((item) => item.key)) : new Set(),
                  )
                }
              />
              Select all
            </label>
          </div>
          <ImportPreviewList
            items={items}
            selected={selected}
            onToggle={toggle}
            showSource={sources > 1}
          />
        </section>
      )}

      <ImportProblems errors={errors} skipped={skipped} />

      <div className="dialog-actions import-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        {preview && (
          <button
            type="button"
            className="button button-primary"
            disabled={chosenCount === 0 || busy !== null}
            onClick={() => void commit()}
          >
            Import {plural(chosenCount, 'account', 'accounts')}
          </button>
        )}
      </div>
    </Dialog>
  );
}
