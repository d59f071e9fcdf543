/** `npm run token:create -- --user user-123 [--name laptop]`: prints a new API token (stored only as a hash). */
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { users } from '@/db/schema';
import { createApiToken } from '@/server/auth/tokens';
import { openDatabaseFromEnv } from '@/server/db';

const { values } = parseArgs({ options: { user: { type: 'string' }, name: { type: 'string' } } });
if (!values.user) {
  console.error('Usage: npm run token:create -- --user USER_ID [--name LABEL]');
  process.exit(2);
}
const database = await openDatabaseFromEnv();
try {
  const [user] = await database.db.select({ id: users.id }).from(users).where(eq(users.id, values.user));
  if (!user) {
    console.error(`No user ${values.user}.`);
    process.exitCode = 1;
  } else {
    const token = await createApiToken(database.db, user.id, values.name);
    console.log(`Token for ${user.id} (shown once, store it now):\n${token}`);
  }
} finally {
  await database.close();
}
