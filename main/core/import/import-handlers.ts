import type { EventName, EventPayload, Handlers } from '../../../shared/contract';
import { ChronokeyError } from '../../../shared/errors';
import type { Clock, TimerPort } from '../ports';
import type { VaultSession } from '../session';
import type { ScreenCapturePort } from '../qr/screen-capture-port';
import type { ImportEngines, VaultOwner } from './pipeline';
import { ImportPipeline } from './pipeline';
import type { ImportInput } from './types';

/** The system's open-file dialog (main's Electron dialog; tests pass their own). */
export interface OpenFilesPort {
  /** The chosen files' names and bytes, or null when the user cancels. */
  openFiles(): Promise<ImportInput[] | null>;
}

export type { ScreenCapturePort };

export interface EventPort {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

export interface ImportHandlerDeps {
  session: VaultSession;
  clock: Clock;
  engines: ImportEngines;
  timers?: TimerPort;
  dialog?: OpenFilesPort;
  screen?: ScreenCapturePort;
  events?: EventPort;
}

type ImportChannel = Extract<keyof Handlers, `import.${string}`>;

/**
 * The import channels. Previews belong to the unlocked vault they were made for; `dropPreviews`
 * forgets them all (the vault locked).
 */
export function createImportHandlers(deps: ImportHandlerDeps): {
  handlers: Pick<Handlers, ImportChannel>;
  dropPreviews(): void;
} {
  const { session } = deps;
  const pipeline = new ImportPipeline({
    engines: deps.engines,
    clock: deps.clock,
    ...(deps.timers !== undefined && { timers: deps.timers }),
    onProgress: (progress) => deps.events?.emit('import.progress', progress),
  });

  async function vault(): Promise<VaultOwner> {
    if (!session.isUnlocked) pipeline.clear();
    const accounts = (await session.content()).accounts;
    return { owner: session.vault(), accounts };
  }

  return {
    dropPreviews: () => pipeline.clear(),
    handlers: {
      'import.addText': async ({ previewId, text }) =>
        pipeline.addInputs(
          previewId,
          [{ name: 'Pasted text', bytes: new TextEncoder().encode(text) }],
          await vault(),
        ),
      'import.addFiles': async ({ previewId, files }) => {
        const owner = await vault();
        const inputs = files.map((file) => ({
          name: file.name,
          bytes: new Uint8Array(Buffer.from(file.base64, 'base64')),
        }));
        return pipeline.addInputs(previewId, inputs, owner);
      },
      'import.openFiles': async ({ previewId }) => {
        const owner = await vault();
        if (!deps.dialog) {
          throw new ChronokeyError(
            'DIALOG_UNAVAILABLE',
            'There is no file dialog here to open files with.',
          );
        }
        const files = await deps.dialog.openFiles();
        if (files === null || files.length === 0) return null;
        return pipeline.addInputs(previewId, files, owner);
      },
      'import.scanScreen': async ({ previewId }) => {
        const owner = await vault();
        if (!deps.screen) {
          throw new ChronokeyError(
            'SCREEN_CAPTURE_UNAVAILABLE',
            'The screen cannot be captured here. Save a screenshot and open it instead.',
          );
        }
        deps.events?.emit('import.progress', { done: 0, total: 1, stage: 'Capturing the screen' });
        const displays = await deps.screen.captureDisplays();
        return pipeline.addDisplays(previewId, displays, owner);
      },
      'import.unlock': async ({ previewId, source, password }) =>
        pipeline.unlock(previewId, source, password, await vault()),
      'import.commit': async ({ previewId, keys, mode }) => {
        const { owner } = await vault();
        const added = await pipeline.commit(
          previewId,
          keys,
          owner,
          (change) => session.update(change),
          mode,
        );
        return { added };
      },
      'import.cancel': async ({ previewId }) => {
        pipeline.cancel(previewId);
        return null;
      },
    },
  };
}
