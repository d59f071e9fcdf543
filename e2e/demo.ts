import { readFileSync } from 'node:fs';

/** A lifter the e2e server adds with no data at all. */
export const NEW_LIFTER_ID = 'user-new';

/** The demo users' API tokens, written by e2e/server.ts when it seeded the database. */
export function demoToken(userId: string): string {
  const port = process.env.E2E_PORT ?? '3100';
  const tokens = JSON.parse(readFileSync(`.data/e2e-${port}.tokens.json`, 'utf8')) as {
    userId: string;
    token: string;
  }[];
  const found = tokens.find((t) => t.userId === userId);
  if (!found) throw new Error(`no demo token for ${userId}`);
  return found.token;
}
