import { z } from 'zod';
import { calories, dateOnly, instantOrDate, jsonObject, reps, rpe, shortText, userIdField, weightKg } from './common';
import type { EndpointSpec } from './endpoint-spec';
import { sessionNoteWire } from './session-notes';

/** A client recommendation id in `rec_meta.id`: the recommendation's id for that user (feedback's `ref_id`). */
export const clientRecommendationId = z
  .union([
    z
      .string()
      .trim()
      .min(1)
      .max(128)
      .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII'),
    z.number().int(),
  ])
  .transform(String);

const setInput = z
  .strictObject({
    exercise: shortText(120).meta({ example: 'Incline Dumbbell Press' }),
    set_number: z.number().int().min(1).max(1000),
    rec_weight: weightKg.nullable().optional(),
    rec_reps: reps.nullable().optional(),
    actual_weight: weightKg.nullable().optional(),
    actual_reps: reps.nullable().optional(),
    intensity: rpe.nullable().optional().meta({ description: 'RPE, 0–10' }),
    /** Defaults to true: the seed's example sets carry no `done` and are plainly finished sets. */
    done: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    if (!s.done) return;
    // A done set must say what was lifted; only skipped sets may leave it out.
    for (const key of ['actual_weight', 'actual_reps'] as const) {
      if (s[key] === undefined || s[key] === null)
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required when the set is done' });
    }
  })
  .meta({ id: 'SetInput' });

/** Set numbers are unique within a session. */
function uniqueSetNumbers(sets: readonly { set_number: number }[], ctx: z.RefinementCtx): void {
  const seen = new Map<number, number>();
  sets.forEach((set, i) => {
    const first = seen.get(set.set_number);
    if (first !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['sets', i, 'set_number'],
        message: `duplicates sets[${first}].set_number; set_number must be unique within a session`,
      });
    else seen.set(set.set_number, i);
  });
}

/** The session's fields, shared by recording (POST) and correcting (PATCH). */
const sessionFields = {
  date: instantOrDate.meta({
    description: 'ISO instant (kept as performed_at; the calendar date is taken in the lifter’s zone) or a date',
  }),
  day_type: shortText(64).nullable().optional().meta({ example: 'Chest' }),
  calories: calories.nullable().optional(),
  sets: z.array(setInput).max(300),
};

export const sessionInput = z
  .strictObject({
    user_id: userIdField,
    date: sessionFields.date,
    day_type: sessionFields.day_type,
    finished: z.boolean().default(false),
    calories: sessionFields.calories,
    sets: sessionFields.sets,
    rec_meta: jsonObject(64 * 1024)
      .refine(
        (m) => m.rec_source === undefined || (typeof m.rec_source === 'string' && /^\S.{0,63}$/.test(m.rec_source)),
        { message: 'must be a string of 1–64 characters', path: ['rec_source'] },
      )
      .refine((m) => m.id === undefined || clientRecommendationId.safeParse(m.id).success, {
        message: 'must be a string of 1–128 visible characters (or an integer)',
        path: ['id'],
      })
      .nullable()
      .optional()
      .meta({
        description:
          'The full recommendation payload served with the session; stored as a recommendation. Its `id`, when given, is that recommendation’s id (feedback names it as `ref_id`; reusing it with another session → 409); otherwise `rec-<session_id>`. Its `rec_source` (the policy the app applied, from GET /modifiers) is kept as the recommendation’s source; `client` when absent.',
      }),
  })
  .superRefine((s, ctx) => uniqueSetNumbers(s.sets, ctx))
  .meta({ id: 'SessionInput' });

export type SessionInput = z.infer<typeof sessionInput>;
export type SetInput = z.infer<typeof setInput>;
/** A set with every field given, as the demo data and the simulator write them. */
export type CompleteSetInput = { [K in keyof SetInput]-?: NonNullable<SetInput[K]> };

export const sessionCreated = z.object({ session_id: z.string().uuid() }).meta({ id: 'SessionCreated' });

const sessionPathParams = z.strictObject({ id: z.uuid({ error: 'must be a session id (a UUID)' }) });

const SESSION_PAGE_MAX = 100;

const sessionGetQuery = z.strictObject({
  user_id: userIdField.optional().meta({ description: 'A coach may read an athlete’s session; default: yours.' }),
});

const sessionListQuery = z
  .strictObject({
    user_id: userIdField.optional().meta({ description: 'A coach may list an athlete’s sessions; default: yours.' }),
    from: dateOnly.optional().meta({ description: 'First calendar date, inclusive.' }),
    to: dateOnly.optional().meta({ description: 'Last calendar date, inclusive.' }),
    cursor: z.string().max(200).optional().meta({ description: 'The `next_cursor` of the previous page.' }),
    limit: z.coerce.number().int().min(1).max(SESSION_PAGE_MAX).default(20),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be after `to`', path: ['from'] });

/** A correction: any of the session's fields; `sets`, when given, replaces the whole list. */
const sessionPatch = z
  .strictObject({
    date: sessionFields.date.optional(),
    day_type: sessionFields.day_type,
    finished: z.boolean().optional(),
    calories: sessionFields.calories,
    sets: sessionFields.sets.optional(),
  })
  .superRefine((p, ctx) => {
    if (Object.keys(p).length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'names no field to change' });
    if (p.sets) uniqueSetNumbers(p.sets, ctx);
  })
  .meta({ id: 'SessionPatch' });

export type SessionPatch = z.infer<typeof sessionPatch>;

const setWire = z
  .object({
    exercise: z.string(),
    set_number: z.number().int(),
    rec_weight: z.number().nullable(),
    rec_reps: z.number().int().nullable(),
    actual_weight: z.number().nullable(),
    actual_reps: z.number().int().nullable(),
    intensity: z.number().nullable(),
    done: z.boolean(),
  })
  .meta({ id: 'SetRecord' });

const sessionWire = z
  .object({
    session_id: z.uuid(),
    user_id: z.string(),
    date: z.string().meta({ description: 'The instant the app sent, or the calendar date when it sent only a date.' }),
    calendar_date: z.iso.date().meta({ description: 'The calendar date in the lifter’s zone: the week it counts in.' }),
    day_type: z.string().nullable(),
    finished: z.boolean(),
    calories: z.number().int().nullable(),
    sets: z.array(setWire),
    rec_meta: z.record(z.string(), z.unknown()).nullable(),
    version: z.number().int().meta({ description: 'Counts edits; the ETag is `"<version>"`.' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'SessionRecord' });

const sessionWithNotes = sessionWire
  .extend({
    coach_notes: z
      .array(sessionNoteWire)
      .meta({ description: 'Your coaches’ notes on it, oldest first (a coach sees only its own).' }),
  })
  .meta({ id: 'SessionWithNotes' });

const sessionPage = z
  .object({
    sessions: z.array(sessionWire),
    next_cursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next (older) page; null at the end.' }),
  })
  .meta({ id: 'SessionPage' });

const sessionDeleted = z.object({ session_id: z.uuid(), deleted: z.literal(true) }).meta({ id: 'SessionDeleted' });

export type SessionWire = z.infer<typeof sessionWire>;

/** The sessions endpoints (`api.ts` gathers every domain's). */
export const sessionsEndpoints = {
  createSession: {
    operationId: 'createSession',
    method: 'POST',
    path: '/session',
    tags: ['Collect'],
    summary: 'Record a workout session with its sets',
    description:
      'The session, all its sets and a recommendation row for `rec_meta` are written in one transaction: all or nothing.',
    access: 'write',
    subject: { in: 'body', name: 'user_id' },
    body: sessionInput,
    example: {
      user_id: 'user-123',
      date: '2025-11-24T12:34:00Z',
      day_type: 'Chest',
      finished: true,
      calories: 2600,
      sets: [
        {
          exercise: 'Incline Dumbbell Press',
          set_number: 1,
          rec_weight: 18.5,
          rec_reps: 6,
          actual_weight: 18.5,
          actual_reps: 6,
          intensity: 7,
        },
      ],
      rec_meta: { algorithm: 'po-rules', exercises: [{ exercise: 'Incline Dumbbell Press', weight: 18.5, reps: 6 }] },
    },
    response: { status: 201, description: 'Stored.', schema: sessionCreated },
  },
  listSessions: {
    operationId: 'listSessions',
    method: 'GET',
    path: '/sessions',
    tags: ['Collect'],
    summary: 'Recorded sessions, newest first',
    description:
      'Pages of sessions with their sets, newest calendar date first, optionally between `from` and `to`. Pass `next_cursor` as `cursor` for the next page. A coach may list an athlete’s sessions with `user_id`.',
    access: 'read',
    subject: { in: 'query', name: 'user_id' },
    query: sessionListQuery,
    response: { status: 200, description: 'A page.', schema: sessionPage },
  },
  getSession: {
    operationId: 'getSession',
    method: 'GET',
    path: '/sessions/{id}',
    tags: ['Collect'],
    summary: 'One session with its sets',
    description: 'Answers the session’s version as its `ETag`, for `If-Match` on PATCH and DELETE.',
    access: 'read',
    subject: { in: 'query', name: 'user_id' },
    params: sessionPathParams,
    query: sessionGetQuery,
    versioned: true,
    errors: [404],
    response: { status: 200, description: 'The session, with the coaches’ notes on it.', schema: sessionWithNotes },
  },
  updateSession: {
    operationId: 'updateSession',
    method: 'PATCH',
    path: '/sessions/{id}',
    tags: ['Collect'],
    summary: 'Correct a session',
    description:
      'Changes the fields given; `sets`, when given, replaces the whole set list. Requires `If-Match` with the ETag of the version you read: 428 without it, 412 when someone changed it since. Analytics show the correction at once; modifier decisions already made stay as history and the next weekly run uses the corrected sets. `rec_meta` is what was served and cannot be changed.',
    access: 'write',
    params: sessionPathParams,
    body: sessionPatch,
    versioned: true,
    idempotent: false,
    errors: [404],
    response: { status: 200, description: 'The corrected session (its new ETag in the header).', schema: sessionWire },
  },
  deleteSession: {
    operationId: 'deleteSession',
    method: 'DELETE',
    path: '/sessions/{id}',
    tags: ['Collect'],
    summary: 'Delete a session',
    description:
      'Deletes the session, its sets, the recommendation recorded from its `rec_meta` and the feedback given on either. Requires `If-Match` like PATCH. Analytics follow at once.',
    access: 'write',
    params: sessionPathParams,
    versioned: true,
    idempotent: false,
    errors: [404],
    response: { status: 200, description: 'Deleted.', schema: sessionDeleted },
  },
} as const satisfies Record<string, EndpointSpec>;
