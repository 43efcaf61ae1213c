export { SyncEngine, SYNC_WRITE_CONTEXT, toConflict, type SyncEngineOptions } from './engine';
export { fileSecretBox, type SecretBox, type SyncCredential } from './credentials';
