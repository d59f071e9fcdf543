import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '@/db/client';
import { apiTokens } from '@/db/schema';

const PREFIX = 'ovl_';

/** SHA-256 is enough here: tokens are 256 random bits, so there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token for a user; the plain token is returned once and never stored. */
export async function createApiToken(db: Db, userId: string, name?: string): Promise<string> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  await db.insert(apiTokens).values({ userId, tokenHash: hashToken(token), name: name ?? null });
  return token;
}
