import type { FolderDialogPort, SaveDialogPort } from '../../../main/core/backup/backup-handlers';
import type { ConfirmPort } from '../../../main/core/ports';

/**
 * The save and folder dialogs and the window's screen-capture protection as the browser tests
 * play them: the test says beforehand what the user will pick, and reads back what was asked.
 */

export class TestSaveDialog implements SaveDialogPort {
  #next: string | null | undefined;
  shown = 0;
  lastDefaultName = '';

  /** The path the user picks in the next save dialog (null: they cancel). */
  willSaveTo(path: string | null): void {
    this.#next = path;
  }

  async chooseSavePath(options: { defaultName: string }): Promise<string | null> {
    this.shown += 1;
    this.lastDefaultName = options.defaultName;
    const answer = this.#next;
    this.#next = undefined;
    if (answer === undefined) throw new Error('the test did not say where to save');
    return answer;
  }
}

export class TestFolderDialog implements FolderDialogPort {
  #next: string | null | undefined;
  shown = 0;

  /** The folder the user picks in the next folder dialog (null: they cancel). */
  willChoose(path: string | null): void {
    this.#next = path;
  }

  async chooseFolder(): Promise<string | null> {
    this.shown += 1;
    const answer = this.#next;
    this.#next = undefined;
    if (answer === undefined) throw new Error('the test did not say which folder to pick');
    return answer;
  }
}

/**
 * Main's own confirmation dialog as the tests play it: the person says yes unless the test says
 * otherwise; every question is recorded.
 */
export class TestConfirm implements ConfirmPort {
  answer = true;
  readonly asked: string[] = [];

  async confirm(question: { message: string }): Promise<boolean> {
    this.asked.push(question.message);
    return this.answer;
  }
}

/** Records the window's screen-capture protection as main would set it. */
export class TestScreenProtection {
  enabled = false;
  readonly changes: boolean[] = [];

  set(enabled: boolean): boolean {
    this.enabled = enabled;
    this.changes.push(enabled);
    return enabled;
  }
}
