/** `npm run job:retention`: apply the retention policy now (the daily cron does the same). */
import { openDatabase } from '@/db/client';
import { env } from '@/server/env';
import { retentionPolicy, runRetention } from '@/server/privacy/retention';

const e = env();
const policy = retentionPolicy();
console.log(
  `Retention: instrument events ${policy.instrumentDays} d, feedback notes ${policy.feedbackNotesDays} d, ` +
    `idempotency keys ${policy.idempotencyDays} d, expired dashboard sessions.`,
);
const database = await openDatabase({ databaseUrl: e.DATABASE_URL, pgliteDataDir: e.PGLITE_DATA_DIR, migrate: !e.DATABASE_URL });
try {
  const r = await runRetention(database.db, new Date(), policy);
  console.log(
    `Deleted ${r.instrument_events_deleted} instrument events, ${r.idempotency_keys_deleted} idempotency keys, ` +
      `${r.web_sessions_deleted} expired sessions; erased ${r.feedback_notes_erased} feedback notes (run ${r.run_id}).`,
  );
} finally {
  await database.close();
}
