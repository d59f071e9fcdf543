/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
import { openDatabase } from '@/db/client';
import { env } from '@/server/env';

const e = env();
const target = e.DATABASE_URL ? 'PostgreSQL' : `PGlite at ${e.PGLITE_DATA_DIR}`;
console.log(`Migrating ${target} …`);
const database = await openDatabase({ databaseUrl: e.DATABASE_URL, pgliteDataDir: e.PGLITE_DATA_DIR, migrate: true });
await database.close();
console.log('Migrations applied.');
