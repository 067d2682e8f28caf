import { z } from 'zod';
import { AccountView, Algorithm, CodeView, OtpType, Settings } from './domain';
import { ErrorShape } from './errors';

/**
 * The one IPC contract: one schema pair per channel. Main validates every input with it,
 * the preload builds one named method per channel from it, and the CLI and the browser test
 * bridge serve the same handler table. Adding a channel is one edit here plus its handler.
 */

const Password = z.string().min(1).max(1024);
const Id = z.string().min(1).max(64);

export const KeySlot = z.enum(['keychain', 'password']);

export const VaultStatus = z.object({
  state: z.enum(['missing', 'locked', 'unlocked']),
  slots: z.array(KeySlot),
  keychainAvailable: z.boolean(),
});
export type VaultStatus = z.infer<typeof VaultStatus>;

/** Fields for adding an account by hand; the core normalises and checks them like a link. */
export const ManualAccount = z.object({
  type: OtpType,
  issuer: z.string().max(512),
  account: z.string().max(512),
  secret: z.string().max(1024),
  algorithm: Algorithm,
  digits: z.number().int(),
  period: z.number().int(),
  counter: z.number().int(),
});
export type ManualAccount = z.infer<typeof ManualAccount>;

export const AccountChanges = z
  .object({
    issuer: z.string().max(512),
    account: z.string().max(512),
    tags: z.array(z.string().trim().min(1).max(64)).max(64),
    favourite: z.boolean(),
  })
  .partial();

export const contract = {
  'vault.status': { input: z.void(), output: VaultStatus },
  'vault.create': {
    input: z.object({ useKeychain: z.boolean(), password: Password.optional() }),
    output: VaultStatus,
  },
  'vault.unlock': { input: z.object({ password: Password.optional() }), output: VaultStatus },
  'vault.lock': { input: z.void(), output: VaultStatus },
  'vault.setPassword': { input: z.object({ password: Password }), output: VaultStatus },
  'vault.removePassword': { input: z.void(), output: VaultStatus },
  'vault.setKeychain': { input: z.object({ enabled: z.boolean() }), output: VaultStatus },

  'accounts.list': { input: z.void(), output: z.array(AccountView) },
  'accounts.add': { input: z.object({ uri: z.string().max(8192) }), output: AccountView },
  'accounts.create': { input: ManualAccount, output: AccountView },
  'accounts.update': { input: z.object({ id: Id, changes: AccountChanges }), output: AccountView },
  'accounts.remove': { input: z.object({ id: Id }), output: z.object({ undoToken: z.string() }) },
  'accounts.undoRemove': {
    input: z.object({ undoToken: z.string().max(128) }),
    output: AccountView,
  },
  'accounts.reorder': {
    input: z.object({ ids: z.array(Id).max(100_000) }),
    output: z.array(AccountView),
  },

  'codes.current': { input: z.void(), output: z.array(CodeView) },
  'codes.hotpNext': { input: z.object({ id: Id }), output: CodeView },
  'codes.copy': {
    input: z.object({ id: Id }),
    output: z.object({ clearsAt: z.number().int().nullable() }),
  },

  'settings.get': { input: z.void(), output: Settings },
  'settings.update': { input: Settings.partial(), output: Settings },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const channels = Object.keys(contract) as Channel[];

/** What a caller passes (before parsing) and what a handler receives (after parsing). */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type HandlerInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

/** The handler table the core implements once and main, the CLI and the test bridge serve. */
export type Handlers = {
  [C in Channel]: (input: HandlerInput<C>) => Promise<ChannelOutput<C>>;
};

type Namespace<C extends string> = C extends `${infer N}.${string}` ? N : never;
type Method<C extends string> = C extends `${string}.${infer M}` ? M : never;
type Call<C extends Channel> = [ChannelInput<C>] extends [void]
  ? () => Promise<Result<ChannelOutput<C>>>
  : (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;

/** `window.chronokey`: one named method per channel, grouped by namespace, e.g. `accounts.list()`. */
export type ChronokeyApi = {
  [N in Namespace<Channel>]: {
    [C in Channel as Namespace<C> extends N ? Method<C> : never]: Call<C>;
  };
};

/**
 * Builds the named-method API from the channel list around one transport function.
 * The preload passes `ipcRenderer.invoke`; the browser tests pass their loopback bridge.
 * The transport is never exposed itself: callers can only reach the channels listed here.
 */
export function buildApi(
  send: (channel: Channel, input: unknown) => Promise<Result<unknown>>,
): ChronokeyApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {};
  for (const channel of channels) {
    const [namespace, method] = channel.split('.') as [string, string];
    api[namespace] ??= {};
    api[namespace][method] = (input?: unknown) => send(channel, input);
  }
  return api as unknown as ChronokeyApi;
}

export const ResultShape = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorShape }),
]);
