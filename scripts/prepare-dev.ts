/**
 * Runs before `next dev`: on the embedded database, migrate and seed the demo data if it is empty, then close
 * the folder again so the dev server can open it (PGlite allows one process per data directory).
 */
import { env } from '@/server/env';
import { runSeed } from './seed';

const e = env();
if (e.DATABASE_URL) {
  console.log('DATABASE_URL is set: run `npm run db:migrate` and `npm run db:seed` yourself when needed.');
} else {
  console.log(`Embedded database at ${e.PGLITE_DATA_DIR}`);
  await runSeed();
}
