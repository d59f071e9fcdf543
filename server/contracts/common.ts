import { z } from 'zod';
import { isTimeZone } from '@/server/time/calendar';
import { wallClock } from '@/server/time/clock';

/**
 * Building blocks shared by every payload: the sane bounds the contract promises, in one place.
 * Dates must fall in a plausible window: not before 2000-01-01, not more than two days ahead of the server.
 */

const EARLIEST_DATE = '2000-01-01';
const EARLIEST_MS = Date.parse(`${EARLIEST_DATE}T00:00:00Z`);
const FUTURE_SLACK_MS = 2 * 86_400_000;

// Called for every instant of every event of a batch: parse the lower bound once.
function inWindow(ms: number): boolean {
  return ms >= EARLIEST_MS && ms <= wallClock().getTime() + FUTURE_SLACK_MS;
}

export const userIdField = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@|-]*$/, 'must be letters, digits and _ . : @ | -')
  .meta({ description: 'The user the data belongs to; must be the token’s own user.', example: 'user-123' });

/** A calendar date, YYYY-MM-DD, inside the plausible window. */
export const dateOnly = z.iso
  .date({ error: 'must be a date as YYYY-MM-DD' })
  .refine((d) => inWindow(Date.parse(`${d}T00:00:00Z`)), `must be between ${EARLIEST_DATE} and two days from now`);

/** An ISO 8601 instant with Z or an offset, inside the plausible window. */
export const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 instant with Z or an offset' })
  .refine((d) => inWindow(Date.parse(d)), `must be between ${EARLIEST_DATE} and two days from now`);

/** Either; a bare date keeps no instant. */
export const instantOrDate = z
  .string({ error: 'must be an ISO 8601 instant (e.g. 2025-11-24T12:34:00Z) or a date (YYYY-MM-DD)' })
  .superRefine((value, ctx) => {
    const schema = /^\d{4}-\d{2}-\d{2}$/.test(value) ? dateOnly : instant;
    const result = schema.safeParse(value);
    if (!result.success) ctx.addIssue({ code: 'custom', message: result.error.issues[0]!.message });
  })
  .meta({ example: '2025-11-24T12:34:00Z' });

export const weightKg = z.number().min(0).max(1000);
export const reps = z.number().int().min(0).max(100);
export const rpe = z.number().min(0).max(10);
export const calories = z.number().int().min(0).max(20_000);
export const shortText = (max: number) => z.string().trim().min(1).max(max);
/** Free text the lifter writes (a note on a set, a session, feedback). */
export const MAX_NOTES = 2000;
export const notes = z.string().max(MAX_NOTES);

export const timeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin')
  .meta({ example: 'Europe/Berlin' });

/**
 * How deeply free JSON — the payloads the client owns: `rec_meta`, `rec_payload`, a profile `snapshot`, an
 * instrument event's `payload` — may nest: objects and arrays within the field, the field's own object counted.
 */
export const MAX_JSON_DEPTH = 32;

/** True when objects and arrays nest deeper than `limit` inside `value`; walks with a stack, so any depth is safe. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

const depthMessage = `must nest at most ${MAX_JSON_DEPTH} levels of objects and arrays`;

/**
 * Bounds free JSON's depth before anything else looks into it (later checks serialize it, which recurses):
 * deeper input is refused with 400 naming the field, whatever the runtime's stack size.
 */
export function withinDepth<T extends z.ZodType>(schema: T) {
  return schema.refine((v) => !nestsDeeperThan(v, MAX_JSON_DEPTH), { message: depthMessage, abort: true });
}

/** A free-form JSON object (payloads the client owns), bounded in depth and size. */
export function jsonObject(maxBytes: number) {
  return withinDepth(z.record(z.string(), z.unknown())).refine(
    (v) => Buffer.byteLength(JSON.stringify(v)) <= maxBytes,
    `must be at most ${maxBytes / 1024} KB of JSON`,
  );
}

export const createdId = z.object({ id: z.string() }).meta({ id: 'CreatedId' });
