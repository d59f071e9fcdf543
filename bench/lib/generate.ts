/**
 * The benchmark's data: N lifters × W weeks of realistic training — 3–4 sessions a week on a three-day split,
 * 15 sets a session with recommended vs actual weight and reps (most sets hit, some miss, lifts progress and
 * sometimes stall), a profile version every other week with a drifting bodyweight, and two instrument events
 * per session — written with COPY, the way PostgreSQL takes bulk data fastest.
 *
 * Deterministic for a given seed, so runs on different days compare; dates end with the week that just ended,
 * so the weekly jobs always have their week to work on.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Sql } from 'postgres';
import { sealJson, sealText } from '../../db/schema/encrypted-text';
import { seededRandom } from '../../server/random';

export interface GenerateOptions {
  /** Users are named `${prefix}${n}` from `firstUser` on, so a second call can add more users. */
  firstUser?: number;
  users: number;
  weeks: number;
  seed?: number;
  prefix?: string;
  /** Monday after the last generated week (the current week's Monday). */
  thisMonday: string;
  onProgress?: (doneUsers: number, totalUsers: number) => void;
}

export interface GenerateCounts {
  users: number;
  sessions: number;
  sets: number;
  profileVersions: number;
  instrumentEvents: number;
}

const DAY = 86_400_000;
const SPLIT: Record<string, [string, number][]> = {
  // exercise, starting weight relative to the lifter's strength
  Push: [
    ['Bench Press', 1],
    ['Incline Dumbbell Press', 0.35],
    ['Overhead Press', 0.6],
    ['Cable Fly', 0.25],
    ['Triceps Pushdown', 0.3],
  ],
  Pull: [
    ['Deadlift', 1.6],
    ['Barbell Row', 0.9],
    ['Lat Pulldown', 0.8],
    ['Face Pull', 0.25],
    ['Biceps Curl', 0.3],
  ],
  Legs: [
    ['Back Squat', 1.3],
    ['Romanian Deadlift', 1.1],
    ['Leg Press', 2],
    ['Leg Curl', 0.5],
    ['Calf Raise', 0.8],
  ],
};
const DAY_TYPES = Object.keys(SPLIT);
// Monday, Wednesday, Friday, and Saturday in four-session weeks.
const TRAINING_DAYS = [0, 2, 4, 5];

const round25 = (kg: number) => Math.round(kg / 2.5) * 2.5;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type Row = (string | number | boolean | null)[];

/** Streams rows into `COPY table (columns) FROM STDIN (FORMAT csv)`. */
async function copyInto(sql: Sql, table: string, columns: string[], rows: AsyncIterable<Row> | Iterable<Row>) {
  const target = await sql.unsafe(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`).writable();
  const csv = stringify({ cast: { boolean: (v) => (v ? 't' : 'f') } });
  await pipeline(Readable.from(rows, { objectMode: true }), csv, target);
}

/** One user's history, as rows for each table; kept in memory per user only. */
function userHistory(userId: string, weeks: number, firstMonday: number, rand: () => number) {
  const strength = 50 + rand() * 70; // bench press 1RM-ish, kg
  const weekly = 0.01 + rand() * 0.015; // relative progress per week
  const stallFrom = rand() < 0.3 ? Math.floor(weeks * (0.5 + rand() * 0.4)) : Infinity;
  let bodyweight = 60 + rand() * 40;
  const sessions: Row[] = [];
  const sets: Row[] = [];
  const versions: Row[] = [];
  const events: Row[] = [];
  let dayType = Math.floor(rand() * 3);
  const profileId = randomUUID();
  for (let w = 0; w < weeks; w++) {
    const monday = firstMonday + w * 7 * DAY;
    const progress = 1 + weekly * Math.min(w, stallFrom);
    const perWeek = rand() < 0.5 ? 3 : 4;
    for (let s = 0; s < perWeek; s++) {
      const type = DAY_TYPES[dayType++ % 3]!;
      const performed = monday + TRAINING_DAYS[s]! * DAY + (17 + Math.floor(rand() * 4)) * 3_600_000;
      const sessionId = randomUUID();
      const calories = 2000 + Math.floor(rand() * 1200);
      sessions.push([userId, sessionId, isoDate(performed), new Date(performed).toISOString(), type, calories, true]);
      let setNumber = 1;
      for (const [exercise, factor] of SPLIT[type]!) {
        const recWeight = Math.max(2.5, round25(strength * factor * progress * 0.8));
        const recReps = exercise === 'Deadlift' ? 5 : 8;
        for (let k = 0; k < 3; k++) {
          // Most sets hit; the last set of a stalled lift often misses.
          const miss = rand() < (w >= stallFrom && k === 2 ? 0.6 : 0.12);
          const actualReps = miss ? recReps - 1 - Math.floor(rand() * 2) : recReps;
          const intensity = Math.min(10, Math.round((7 + rand() * 2 + (miss ? 1 : 0)) * 2) / 2);
          sets.push([
            userId,
            randomUUID(),
            sessionId,
            exercise,
            exercise,
            setNumber++,
            recWeight,
            recReps,
            recWeight,
            actualReps,
            intensity,
            true,
          ]);
        }
      }
      const at = new Date(performed).toISOString();
      events.push([userId, 'session_submitted', sealJson({ sets: 15, day_type: type }), at, at, at]);
      events.push([userId, 'session_finished', sealJson({ calories }), at, at, at]);
    }
    if (w % 2 === 0) {
      bodyweight += (rand() - 0.4) * 0.8;
      const weightKg = Math.round(bodyweight * 10) / 10;
      versions.push([
        userId,
        randomUUID(),
        profileId,
        sealJson({ weightKg, heightCm: 180, age: 30, sex: 'male' }),
        weightKg,
        isoDate(monday),
        'auto',
      ]);
    }
  }
  return { profileId, bodyweight, sessions, sets, versions, events };
}

/**
 * Writes users [firstUser, firstUser + users) with `weeks` weeks each, ending the week before `thisMonday`.
 * Users are opted in to analytics (the ingest scenarios would otherwise measure dropping events).
 */
export async function generate(sql: Sql, opts: GenerateOptions): Promise<GenerateCounts> {
  const first = opts.firstUser ?? 1;
  const prefix = opts.prefix ?? 'bench-';
  const firstMonday = Date.parse(`${opts.thisMonday}T00:00:00Z`) - opts.weeks * 7 * DAY;
  const counts: GenerateCounts = { users: 0, sessions: 0, sets: 0, profileVersions: 0, instrumentEvents: 0 };
  const chunk = 250; // users per COPY round: bounded memory, few round trips
  const writeChunk = async (start: number) => {
    const ids = Array.from(
      { length: Math.min(chunk, first + opts.users - start) },
      (_, i) => `${prefix}${String(start + i).padStart(6, '0')}`,
    );
    const seed = (opts.seed ?? 42) * 1_000_003 + start;
    const histories = ids.map((id, i) => ({ id, ...userHistory(id, opts.weeks, firstMonday, seededRandom(seed + i)) }));
    await copyInto(
      sql,
      'users',
      ['id', 'role', 'analytics_opt_in'],
      histories.map((h) => [h.id, 'lifter', true]),
    );
    await copyInto(
      sql,
      'profiles',
      ['user_id', 'id', 'sex', 'age', 'current_weight_kg', 'height_cm'],
      histories.map((h) => [
        h.id,
        h.profileId,
        sealText('male'),
        sealJson(30),
        sealJson(Math.round(h.bodyweight * 10) / 10),
        sealJson(180),
      ]),
    );
    await copyInto(
      sql,
      'profile_versions',
      ['user_id', 'id', 'profile_id', 'snapshot_json', 'weight_kg', 'effective_date', 'source'],
      histories.flatMap((h) => h.versions),
    );
    await copyInto(
      sql,
      'sessions',
      ['user_id', 'id', 'date', 'performed_at', 'day_type', 'calories', 'finished'],
      histories.flatMap((h) => h.sessions),
    );
    await copyInto(
      sql,
      'sets',
      [
        'user_id',
        'id',
        'session_id',
        'exercise',
        'sent_exercise',
        'set_number',
        'rec_weight',
        'rec_reps',
        'actual_weight',
        'actual_reps',
        'intensity',
        'done',
      ],
      histories.flatMap((h) => h.sets),
    );
    await copyInto(
      sql,
      'instrument_events',
      ['user_id', 'type', 'payload', 'occurred_at', 'derived_at', 'received_at'],
      histories.flatMap((h) => h.events),
    );
    for (const h of histories) {
      counts.users += 1;
      counts.sessions += h.sessions.length;
      counts.sets += h.sets.length;
      counts.profileVersions += h.versions.length;
      counts.instrumentEvents += h.events.length;
    }
    opts.onProgress?.(counts.users, opts.users);
  };
  const starts: number[] = [];
  for (let start = first; start < first + opts.users; start += chunk) starts.push(start);
  // Two chunks at a time on two connections: one COPY keeps one server process busy, and there are two cores.
  const worker = async () => {
    for (let start = starts.shift(); start !== undefined; start = starts.shift()) await writeChunk(start);
  };
  await Promise.all([worker(), worker()]);
  // What the ingest services would have done: mark the touched weeks for the analytics job.
  await sql`insert into analytics_dirty_weeks (user_id, week_start)
            select distinct user_id, date_trunc('week', date)::date from sessions
            where user_id >= ${`${prefix}${String(first).padStart(6, '0')}`}
              and user_id <= ${`${prefix}${String(first + opts.users - 1).padStart(6, '0')}`}
            on conflict do nothing`;
  await sql`analyze`;
  return counts;
}
