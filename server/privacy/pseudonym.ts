import { createHmac, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env } from '@/server/env';
import { generateKey, parseKey } from './encryption';

/**
 * Lifters in the training data are named by a keyed pseudonym, never their id: stable across exports under one
 * key, meaningless without it. The key is its own (`PSEUDONYM_KEY`), so rotating the data keys does not rename
 * everybody; on the embedded default it is generated into `PSEUDONYM_KEY_FILE` like the data key.
 */
const holder = globalThis as typeof globalThis & { __overloadPseudonymKey?: KeyObject };

function loadKey(): KeyObject {
  const e = env();
  if (e.PSEUDONYM_KEY) return parseKey(e.PSEUDONYM_KEY).key;
  const file = e.PSEUDONYM_KEY_FILE;
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${generateKey()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return parseKey(readFileSync(file, 'utf8').trim()).key;
}

export function pseudonym(userId: string): string {
  holder.__overloadPseudonymKey ??= loadKey();
  return createHmac('sha256', holder.__overloadPseudonymKey).update(`subject:${userId}`).digest('hex').slice(0, 16);
}
