export {
  createVault,
  destroyKeychainEntry,
  inspectVault,
  openVault,
  type SlotType,
  type UnlockedVault,
  type VaultDeps,
  type VaultInfo,
} from './vault';
export {
  KEYCHAIN_SERVICE,
  createKeytarKeychain,
  createMemoryKeychain,
  type KeychainPort,
} from './keychain';
export { nodeVaultFs, type VaultFileHandle, type VaultFs } from './vault-fs';
