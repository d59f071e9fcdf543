import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
  randomFillSync,
} from 'node:crypto';

/**
 * Encryption at rest for free text: AES-256-GCM, a fresh 96-bit IV per value, and the id of the key that
 * sealed it stored in the value itself, so keys can be rotated without a flag day:
 *
 *     enc:v1:<key id>:<iv, base64url>:<auth tag, base64url>:<ciphertext, base64url>
 *
 * The key id is a fingerprint of the key (never the key), so nobody has to name keys and a wrong key is
 * recognised before decrypting. The database never sees the plain text or the key.
 */

export const ENVELOPE_PREFIX = 'enc:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;

export interface DataKey {
  id: string;
  /** Imported once: a raw key given to each cipher costs it an import, four times the encryption of a payload. */
  key: KeyObject;
}

/** The key that seals new values, and older keys that can still open values sealed before a rotation. */
export interface Keyring {
  current: DataKey;
  previous: DataKey[];
}

export class DecryptionError extends Error {}

function keyId(key: Buffer): string {
  return createHash('sha256').update('overload-data-key').update(key).digest('hex').slice(0, 12);
}

/** Keys are written as 32 bytes in base64 (44 characters) or hex (64 characters). */
export function parseKey(text: string): DataKey {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES || (!/^[0-9a-f]{64}$/i.test(trimmed) && key.toString('base64') !== trimmed)) {
    throw new Error('must be 32 random bytes, written as base64 (44 characters) or hex (64 characters)');
  }
  return { id: keyId(key), key: createSecretKey(key) };
}

export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

export function makeKeyring(current: string, previous: readonly string[] = []): Keyring {
  const cur = parseKey(current);
  return { current: cur, previous: previous.map(parseKey).filter((k) => k.id !== cur.id) };
}

function isEncrypted(value: string): boolean {
  return value.startsWith(ENVELOPE_PREFIX);
}

/** The id of the key a stored value was sealed with; null for plain text written before encryption. */
export function sealedWith(value: string): string | null {
  return isEncrypted(value) ? (value.slice(ENVELOPE_PREFIX.length).split(':')[0] ?? null) : null;
}

/** Random IVs drawn from the system's CSPRNG a thousand at a time (one call each costs as much as a seal). */
const ivPool = Buffer.alloc(IV_BYTES * 1024);
let ivNext = ivPool.length;

function freshIv(): Buffer {
  if (ivNext === ivPool.length) {
    randomFillSync(ivPool);
    ivNext = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivNext, ivNext + IV_BYTES));
  ivNext += IV_BYTES;
  return iv;
}

export function encrypt(plain: string, ring: Keyring): string {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${ENVELOPE_PREFIX}${ring.current.id}:${iv.toString('base64url')}:${tag.toString('base64url')}:${body.toString('base64url')}`;
}

/**
 * Opens a stored value with whichever key of the ring sealed it. Values without the envelope are plain text
 * from before encryption was switched on; `npm run keys:rotate` seals them.
 */
export function decrypt(stored: string, ring: Keyring): string {
  if (!isEncrypted(stored)) return stored;
  const parts = stored.slice(ENVELOPE_PREFIX.length).split(':');
  if (parts.length !== 4) throw new DecryptionError('malformed encrypted value');
  const [id, iv, tag, body] = parts as [string, string, string, string];
  const dataKey = [ring.current, ...ring.previous].find((k) => k.id === id);
  if (!dataKey) {
    throw new DecryptionError(
      `value sealed with key ${id}, which is not configured (add it to DATA_ENCRYPTION_PREVIOUS_KEYS)`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError(`value sealed with key ${id} failed authentication (tampered or corrupted)`);
  }
}
