// The device credential (its Postgres role and password, and where the server is),
// kept in the data folder at `credentials/sync.json`, readable only by its owner
// (folder 0700, file 0600), sealed by a SecretBox.
//
// The core never imports electron. It receives a SecretBox:
//   - browser host, CLI, tests: fileSecretBox() (the default): the secret is stored as
//     it is; the file mode is the protection.
//   - Electron: the shell passes a box backed by `safeStorage` (OS keychain / DPAPI /
//     libsecret). safeStorage lives in the main process while the core runs in a
//     utilityProcess, so the box's methods are async and the shell answers them over
//     the core's message port:
//       encrypt: (plain) => main: safeStorage.encryptString(plain).toString('base64')
//       decrypt: (sealed) => main: safeStorage.decryptString(Buffer.from(sealed, 'base64'))
//     with kind 'safeStorage' and available = safeStorage.isEncryptionAvailable().
//     When it is not available (Linux without a keyring) the shell passes fileSecretBox().
// A credential sealed by one kind of box is read only by that kind; a plain file is
// resealed by the stronger box on first read.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ApiError } from '@shared/api/errors';
import { dataPaths } from '../../core/paths';
import { SSL_MODES, type ServerAddress } from '../server/pairing-code';

export interface SecretBox {
  /** 'file': stored as is in an owner-only file; 'safeStorage': Electron's OS-backed encryption; others for tests. */
  readonly kind: string;
  encrypt(plain: string): Promise<string>;
  decrypt(sealed: string): Promise<string>;
}

export function fileSecretBox(): SecretBox {
  return { kind: 'file', encrypt: async (plain) => plain, decrypt: async (sealed) => sealed };
}

/** What the device needs to connect. `password` never reaches a log. */
export interface SyncCredential {
  server: ServerAddress;
  roleName: string;
  password: string;
}

const credentialSchema = z.object({
  server: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535), database: z.string().min(1), sslmode: z.enum(SSL_MODES) }),
  roleName: z.string().regex(/^cb_device_[0-9a-f]{32}$/),
  password: z.string().min(16),
});

const fileSchema = z.object({ version: z.literal(1), box: z.string(), sealed: z.string() });

export function credentialFile(dataDir: string): string {
  return join(dataPaths(dataDir).credentials, 'sync.json');
}

export async function saveCredential(dataDir: string, box: SecretBox, credential: SyncCredential): Promise<void> {
  const file = credentialFile(dataDir);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  chmodSync(dirname(file), 0o700);
  const sealed = await box.encrypt(JSON.stringify(credentialSchema.parse(credential)));
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify({ version: 1, box: box.kind, sealed }) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** The stored credential, or null when there is none. Throws when it cannot be read with this box. */
export async function loadCredential(dataDir: string, box: SecretBox): Promise<SyncCredential | null> {
  const file = credentialFile(dataDir);
  if (!existsSync(file)) return null;
  let stored: z.infer<typeof fileSchema>;
  try {
    stored = fileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    throw new ApiError('INTERNAL', `The sync credential file ${file} is damaged: unpair and pair this device again.`);
  }
  let plain: string;
  if (stored.box === box.kind) plain = await box.decrypt(stored.sealed);
  else if (stored.box === 'file') plain = stored.sealed;
  else {
    throw new ApiError(
      'UNAVAILABLE',
      `The sync credential of this data folder is encrypted by the ${stored.box === 'safeStorage' ? 'desktop app' : stored.box}; sync runs there (or unpair and pair again here).`,
    );
  }
  const parsed = credentialSchema.safeParse(JSON.parse(plain));
  if (!parsed.success) throw new ApiError('INTERNAL', 'The sync credential is damaged: unpair and pair this device again.');
  // Reseal a plain file with a stronger box (a folder paired from the CLI, then opened in the desktop app).
  if (stored.box !== box.kind) await saveCredential(dataDir, box, parsed.data);
  return parsed.data;
}

export function deleteCredential(dataDir: string): void {
  rmSync(credentialFile(dataDir), { force: true });
}
