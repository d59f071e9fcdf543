import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '@/db/client';
import { env } from '@/server/env';
import { openRun, updateRun } from '@/server/jobs/job-runs';

/**
 * The retention policy (docs/privacy-and-security.md), applied daily:
 * - instrument events: deleted `instrumentDays` after they were received;
 * - feedback notes: the free text is erased `feedbackNotesDays` after it was written (the helpful/not
 *   helpful answer stays, it carries nothing personal);
 * - idempotency keys: deleted `idempotencyDays` after use (a client retries within minutes);
 * - dashboard sessions: deleted once expired.
 * Each step deletes by age against one cutoff, so running it again deletes nothing new.
 */
export interface RetentionPolicy {
  instrumentDays: number;
  feedbackNotesDays: number;
  idempotencyDays: number;
}

export function retentionPolicy(): RetentionPolicy {
  const e = env();
  return {
    instrumentDays: e.RETENTION_INSTRUMENT_DAYS,
    feedbackNotesDays: e.RETENTION_FEEDBACK_NOTES_DAYS,
    idempotencyDays: e.RETENTION_IDEMPOTENCY_DAYS,
  };
}

export interface RetentionResult {
  run_id: string;
  instrument_events_deleted: number;
  feedback_notes_erased: number;
  idempotency_keys_deleted: number;
  web_sessions_deleted: number;
}

/** Rows per statement: big deletes go in chunks so no single transaction holds the table for long. */
const CHUNK = 10_000;

/** Repeats a chunked statement until it touches fewer rows than a chunk; answers the total. */
async function inChunks(db: Db, statement: SQL): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await rows<{ n: number }>(
      db,
      sql`with touched as (${statement} returning 1) select count(*)::int as n from touched`,
    );
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < CHUNK) return total;
  }
}

/** A cutoff as a SQL timestamptz literal parameter (the same on both drivers). */
const daysBefore = (now: Date, days: number) =>
  sql`${new Date(now.getTime() - days * 86_400_000).toISOString()}::timestamptz`;

export async function runRetention(
  db: Db,
  now: Date,
  policy: RetentionPolicy = retentionPolicy(),
): Promise<RetentionResult> {
  // Every run gets its own job_runs row (the period is the run's instant): the audit shows each one.
  const run = await openRun(db, 'retention', now.toISOString());
  try {
    const result = {
      instrument_events_deleted: await inChunks(
        db,
        sql`delete from instrument_events where ctid in (
        select ctid from instrument_events where received_at < ${daysBefore(now, policy.instrumentDays)} limit ${CHUNK})`,
      ),
      feedback_notes_erased: await inChunks(
        db,
        sql`update feedback_events set notes = null where ctid in (
        select ctid from feedback_events where notes is not null and created_at < ${daysBefore(now, policy.feedbackNotesDays)} limit ${CHUNK})`,
      ),
      idempotency_keys_deleted: await inChunks(
        db,
        sql`delete from idempotency_keys where ctid in (
        select ctid from idempotency_keys where created_at < ${daysBefore(now, policy.idempotencyDays)} limit ${CHUNK})`,
      ),
      web_sessions_deleted: await inChunks(
        db,
        sql`delete from web_sessions where ctid in (
        select ctid from web_sessions where expires_at < ${now.toISOString()}::timestamptz limit ${CHUNK})`,
      ),
    };
    await updateRun(db, run.id, { status: 'done', stats: { ...result, policy } });
    return { run_id: run.id, ...result };
  } catch (err) {
    await updateRun(db, run.id, { status: 'failed', error: (err as Error).message });
    throw err;
  }
}
