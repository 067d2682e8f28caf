import { join } from 'node:path';
import type { Channel, ChannelInput, ChannelOutput, Handlers } from '../../../../shared/contract';
import type { Account } from '../../../../shared/domain';
import { ChronokeyError } from '../../../../shared/errors';
import { dispatch } from '../../../../main/core/dispatch';
import { createHandlers } from '../../../../main/core/handlers';
import { VaultSession } from '../../../../main/core/session';
import { createMemoryKeychain } from '../../../../main/core/vault/keychain';

export const NOW = 1_733_000_000_000;

/** A vault in `root/name` holding `accounts`, served by the handler table at a fixed time. */
export async function freshApp(root: string, name: string, accounts: Account[] = []) {
  const session = new VaultSession(
    { dir: join(root, name), keychain: createMemoryKeychain() },
    { now: () => NOW },
  );
  await session.create({ useKeychain: true });
  if (accounts.length > 0)
    await session.update((draft) => void (draft.accounts = structuredClone(accounts)));
  let savePath: string | null = null;
  let confirms = true;
  const asked: string[] = [];
  const handlers = createHandlers({
    session,
    clock: { now: () => NOW },
    saveDialog: { chooseSavePath: async () => savePath },
    confirm: {
      confirm: async (question) => {
        asked.push(question.message);
        return confirms;
      },
    },
  });
  return {
    session,
    willSaveTo: (path: string | null) => void (savePath = path),
    /** What the person answers in main's confirmation dialog from now on. */
    willConfirm: (answer: boolean) => void (confirms = answer),
    /** The questions main's confirmation dialog asked. */
    asked,
    call: async <C extends Channel>(
      channel: C,
      input: ChannelInput<C>,
    ): Promise<ChannelOutput<C>> => {
      const result = await dispatch(handlers as Handlers, channel, input);
      if (!result.ok) throw new ChronokeyError(result.error.code, result.error.message);
      return result.value as ChannelOutput<C>;
    },
  };
}
