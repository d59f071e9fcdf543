/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */

import { openDatabaseFromEnv } from '@/server/db';
import { env } from '@/server/env';

const e = env();
const target = e.DATABASE_URL ? 'PostgreSQL' : `PGlite at ${e.PGLITE_DATA_DIR}`;
console.log(`Migrating ${target} …`);
const database = await openDatabaseFromEnv({ migrate: true });
await database.close();
console.log('Migrations applied.');
