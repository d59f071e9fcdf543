/**
 * `npm run user:create -- --id backend --role admin [--name "App backend"] [--no-token]`: creates a user with a role
 * (or changes an existing user's role) and prints a new API token for it, shown once.
 */
import { parseArgs } from 'node:util';
import { USER_ROLES, type UserRole } from '@/db/schema/enums';
import { userIdField } from '@/server/contracts/common';

const { values } = parseArgs({
  options: {
    id: { type: 'string' },
    role: { type: 'string', default: 'lifter' },
    name: { type: 'string' },
    'no-token': { type: 'boolean', default: false },
  },
});
const usage = `Usage: npm run user:create -- --id USER_ID --role ${USER_ROLES.join('|')} [--name NAME] [--no-token]`;
const id = userIdField.safeParse(values.id);
if (!id.success) {
  console.error(`--id ${values.id === undefined ? 'is required' : id.error.issues[0]?.message}\n${usage}`);
  process.exit(2);
}
if (!(USER_ROLES as readonly string[]).includes(values.role)) {
  console.error(`--role must be one of ${USER_ROLES.join(', ')}\n${usage}`);
  process.exit(2);
}
// Loaded once the arguments are known to be good: a refusal answers without loading the server.
const { provisionUser } = await import('@/server/admin/users');
const { createApiToken } = await import('@/server/auth/tokens');
const { openDatabaseFromEnv } = await import('@/server/db');

const database = await openDatabaseFromEnv();
try {
  const user = await provisionUser(database.db, {
    id: id.data,
    role: values.role as UserRole,
    ...(values.name ? { displayName: values.name } : {}),
  });
  console.log(`${user.created ? 'Created' : 'Updated'} ${user.id} as ${user.role}.`);
  if (!values['no-token']) {
    const token = await createApiToken(database.db, user.id, 'user:create');
    console.log(`API token (shown once, store it now):\n${token}`);
  }
} finally {
  await database.close();
}
