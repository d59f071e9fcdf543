/**
 * `npm run db:citus`: prints the DDL that distributes Overload's schema on Citus, generated from the catalog of a
 * freshly migrated embedded database (the schema, not anyone's data). Pipe it to psql on the coordinator.
 */
import { citusDdl, citusPlan } from '@/db/citus';
import { openDatabase } from '@/db/client';

const database = await openDatabase({ pgliteDataDir: 'memory://', migrate: true });
try {
  const plan = await citusPlan(database.db);
  process.stdout.write(citusDdl(plan));
  if (plan.problems.length) process.exitCode = 1;
} finally {
  await database.close();
}
