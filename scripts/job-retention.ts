/** `npm run job:retention`: apply the retention policy now (the daily cron does the same). */

import { openDatabaseFromEnv } from '@/server/db';
import { retentionPolicy, runRetention } from '@/server/privacy/retention';
import { wallClock } from '@/server/time/clock';

const policy = retentionPolicy();
console.log(
  `Retention: instrument events ${policy.instrumentDays} d, feedback notes ${policy.feedbackNotesDays} d, ` +
    `idempotency keys ${policy.idempotencyDays} d, expired dashboard sessions.`,
);
const database = await openDatabaseFromEnv();
try {
  const r = await runRetention(database.db, wallClock(), policy);
  console.log(
    `Deleted ${r.instrument_events_deleted} instrument events, ${r.idempotency_keys_deleted} idempotency keys, ` +
      `${r.web_sessions_deleted} expired sessions; erased ${r.feedback_notes_erased} feedback notes (run ${r.run_id}).`,
  );
} finally {
  await database.close();
}
