/**
 * `npm run token:revoke -- --token ovl_…` or `-- --user user-123`: revokes one API token, or every live token of
 * a user, and with them the dashboard sessions signed in with them.
 */
import { parseArgs } from 'node:util';
import { revokeApiTokens } from '@/server/auth/tokens';
import { openDatabaseFromEnv } from '@/server/db';

const { values } = parseArgs({ options: { token: { type: 'string' }, user: { type: 'string' } } });
if (Boolean(values.token) === Boolean(values.user)) {
  console.error('Usage: npm run token:revoke -- --token TOKEN | --user USER_ID');
  process.exit(2);
}
const database = await openDatabaseFromEnv();
try {
  const n = await revokeApiTokens(database.db, values.token ? { token: values.token } : { userId: values.user! });
  console.log(n === 0 ? 'No live token matched; nothing revoked.' : `Revoked ${n} token${n === 1 ? '' : 's'}.`);
  if (n === 0) process.exitCode = 1;
} finally {
  await database.close();
}
