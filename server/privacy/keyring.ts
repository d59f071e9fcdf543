import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env } from '@/server/env';
import { generateKey, type Keyring, makeKeyring } from './encryption';

/**
 * Where the data keys come from:
 * - `DATA_ENCRYPTION_KEY` (current) and `DATA_ENCRYPTION_PREVIOUS_KEYS` (comma-separated, still readable) —
 *   required in production;
 * - otherwise a key file (`DATA_ENCRYPTION_KEY_FILE`, default `.data/encryption.keys`, one key per line,
 *   the first one current) generated on first use, so the embedded default needs no setup.
 */

const holder = globalThis as typeof globalThis & { __overloadKeyring?: Keyring };

export function readKeyFile(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export function writeKeyFile(file: string, keys: readonly string[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const text = `# Overload data keys: the first line seals new values, the others still open older ones.\n${keys.join('\n')}\n`;
  writeFileSync(file, text, { mode: 0o600 });
}

/** Creates the key file with one fresh key unless it exists (two processes starting at once agree). */
function ensureKeyFile(file: string): string[] {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(
      file,
      `# Overload data keys: the first line seals new values, the others still open older ones.\n${generateKey()}\n`,
      {
        mode: 0o600,
        flag: 'wx',
      },
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readKeyFile(file);
}

export function loadKeyring(): Keyring {
  const e = env();
  if (e.DATA_ENCRYPTION_KEY) return makeKeyring(e.DATA_ENCRYPTION_KEY, e.DATA_ENCRYPTION_PREVIOUS_KEYS);
  const [current, ...previous] = ensureKeyFile(e.DATA_ENCRYPTION_KEY_FILE);
  if (!current) throw new Error(`${e.DATA_ENCRYPTION_KEY_FILE} holds no key`);
  return makeKeyring(current, previous);
}

/** The keyring in use, loaded on first use (never at import, so `next build` needs no key). */
export function keyring(): Keyring {
  holder.__overloadKeyring ??= loadKeyring();
  return holder.__overloadKeyring;
}

/** Tests and the rotation script install a keyring of their own; `undefined` reloads from the environment. */
export function setKeyring(ring: Keyring | undefined): void {
  holder.__overloadKeyring = ring;
}
