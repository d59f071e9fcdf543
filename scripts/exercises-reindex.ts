/**
 * `npm run exercises:reindex`: resolves every stored set's exercise name again from the name the app sent — once
 * after upgrading to migration 0018 (data recorded before names were matched), and after the catalog learns new
 * names. Renames and merges lifters made are kept. Prints progress; safe to run again.
 */
import { openDatabaseFromEnv } from '@/server/db';
import { reindexExercises } from '@/server/exercises/reindex';
import { progressReporter } from './lib/progress';

const database = await openDatabaseFromEnv();
const progress = progressReporter('lifters');
try {
  const r = await reindexExercises(database.db, { onProgress: progress.update });
  progress.stop();
  console.log(`${r.users} lifters: ${r.setsRenamed} sets now under their catalog or matched name.`);
} finally {
  progress.stop();
  await database.close();
}
