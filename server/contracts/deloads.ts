import { z } from 'zod';
import { addDays, calendarDate, isoWeekStart } from '@/server/time/calendar';
import { wallClock } from '@/server/time/clock';
import { MAX_NOTES, shortText, userIdField } from './common';
import type { EndpointSpec } from './endpoint-spec';

/**
 * Planned deloads and blocks (`server/deloads/`). The bounds are the product's: a deload lightens the load to
 * 60–90 % and/or the sets to 30–90 % (Rogerson 2024's survey: lifters cut both; Bell 2022: no single method).
 */
export const DELOAD_LIMITS = {
  loadFactor: { min: 0.6, max: 0.9 },
  setFactor: { min: 0.3, max: 0.9 },
  buildWeeks: { min: 1, max: 12 },
  deloadWeeks: { min: 1, max: 2 },
  cycles: { min: 1, max: 12 },
  exercises: 30,
  /** How far ahead a plan may start. */
  weeksAhead: 52,
} as const;

const L = DELOAD_LIMITS;
const between = (name: string, { min, max }: { min: number; max: number }) =>
  z
    .number({ error: `${name} must be a number` })
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);
const wholeBetween = ({ min, max }: { min: number; max: number }) =>
  z
    .number()
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

// `abort`: a string that is no date must not reach the Monday check, which reads it as one.
const monday = z.iso
  .date({ error: 'must be a date as YYYY-MM-DD', abort: true })
  .refine((d) => isoWeekStart(d) === d, 'must be a Monday (the first day of an ISO week)')
  .meta({ description: 'Monday of the first week of the plan.' });

/** The docs' example plans next week: a fixed date would fall into the past. */
const nextMonday = () => addDays(isoWeekStart(calendarDate(wallClock())), 7);

const common = {
  user_id: userIdField
    .optional()
    .meta({ description: 'Defaults to the token’s user; a coach may plan for an athlete.' }),
  week_start: monday,
  exercises: z
    .array(shortText(120))
    .min(1)
    .max(L.exercises)
    .refine((a) => new Set(a).size === a.length, 'must not repeat an exercise')
    .nullish()
    .meta({ description: 'The exercises it lightens; omitted or null: every exercise.' }),
  load_factor: between('load_factor', L.loadFactor)
    .optional()
    .meta({ description: 'The deload week’s load: weight × this (0.6–0.9). Omitted: the load stays.' }),
  set_factor: between('set_factor', L.setFactor).optional().meta({
    description: 'The deload week’s sets: sets × this, rounded, at least one (0.3–0.9). Omitted: the sets stay.',
  }),
  note: shortText(MAX_NOTES).optional(),
};

const lighter = (v: { load_factor?: number; set_factor?: number }) =>
  v.load_factor !== undefined || v.set_factor !== undefined;
const lighterIssue = { message: 'give a load_factor, a set_factor, or both', path: ['load_factor'] };

export const deloadInput = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('deload'), ...common }),
      z.strictObject({
        kind: z.literal('block'),
        ...common,
        build_weeks: wholeBetween(L.buildWeeks).meta({ description: 'Weeks of normal training before each deload.' }),
        deload_weeks: wholeBetween(L.deloadWeeks).default(1).meta({ description: 'Deload weeks per cycle.' }),
        cycles: wholeBetween(L.cycles).meta({ description: 'How many times the block repeats.' }),
      }),
    ],
    { error: 'must be "deload" or "block"' },
  )
  .refine(lighter, lighterIssue)
  .meta({
    id: 'DeloadInput',
    description:
      'A deload for one week, or a block repeating `build_weeks` of training then `deload_weeks` of deload, `cycles` times.',
  });

export type DeloadInput = z.infer<typeof deloadInput>;

export const deloadsQuery = z
  .strictObject({
    user_id: userIdField.optional().meta({ description: 'Defaults to the token’s user; a coach may name an athlete.' }),
  })
  .meta({ id: 'DeloadsQuery' });

const deloadPathParams = z.strictObject({ id: z.uuid({ error: 'must be a plan id (a UUID)' }) });

const deloadPlanWire = z
  .object({
    id: z.uuid(),
    user_id: z.string(),
    kind: z.enum(['deload', 'block']),
    week_start: z.iso.date(),
    build_weeks: z.number().int(),
    deload_weeks: z.number().int(),
    cycles: z.number().int(),
    exercises: z.array(z.string()).nullable(),
    load_factor: z.number(),
    set_factor: z.number(),
    planned_by: z.string(),
    source: z.enum(['lifter', 'coach', 'policy']),
    note: z.string().nullable(),
    created_at: z.iso.datetime(),
    cancelled_from: z.iso
      .date()
      .nullable()
      .meta({ description: 'The first week no longer planned, when cancelled; the weeks before stay as served.' }),
    weeks: z.array(z.iso.date()).meta({ description: 'The Mondays of its deload weeks still planned.' }),
  })
  .meta({ id: 'DeloadPlan' });

const deloadListWire = z.object({ user_id: z.string(), plans: z.array(deloadPlanWire) }).meta({ id: 'DeloadPlans' });

/** A deload in force this week, as the overlay serves it. */
export const overlayDeload = z
  .object({
    plan_id: z.uuid(),
    exercises: z.array(z.string()).nullable().meta({ description: 'The exercises it lightens; null: every one.' }),
    load_factor: z.number().meta({ description: 'Multiply the weight (after `multiplier`) by this.' }),
    set_factor: z.number().meta({ description: 'Multiply the sets by this, rounded, at least one.' }),
    reason: z.string(),
  })
  .meta({ id: 'OverlayDeload' });

/** The dashboard's cancel: the plan and whose it is. */
export const deloadCancelInput = z.strictObject({ userId: userIdField, planId: z.uuid() });

export const deloadsEndpoints = {
  listDeloads: {
    operationId: 'listDeloads',
    method: 'GET',
    path: '/deloads',
    tags: ['Adapt'],
    summary: 'Planned deloads and blocks',
    description:
      'Every plan, cancelled ones included (append-only history), by first week. A coach may read its athletes.',
    access: 'read',
    subject: { in: 'query', name: 'user_id' },
    query: deloadsQuery,
    response: { status: 200, description: 'The plans.', schema: deloadListWire },
  },
  planDeload: {
    operationId: 'planDeload',
    method: 'POST',
    path: '/deloads',
    tags: ['Adapt'],
    summary: 'Plan a deload week or a repeating block (the lifter or their coach)',
    description:
      'The overlay serves it in its weeks (`deloads` in `GET /modifiers`), with the reason; the weekly job neither counts those weeks’ sets as failures nor as a plateau and resumes from the modifiers before it. It may not start before this week nor overlap another plan for the same exercise (409).',
    access: 'read',
    subject: { in: 'body', name: 'user_id' },
    body: deloadInput,
    errors: [409],
    example: { kind: 'deload', week_start: nextMonday(), load_factor: 0.8, set_factor: 0.6 },
    response: { status: 201, description: 'Planned.', schema: deloadPlanWire },
  },
  cancelDeload: {
    operationId: 'cancelDeload',
    method: 'DELETE',
    path: '/deloads/{id}',
    tags: ['Adapt'],
    summary: 'Cancel a plan from this week on',
    description: 'Its weeks before this one stay as served. 409 when nothing of it is left to cancel.',
    access: 'read',
    subject: { in: 'query', name: 'user_id' },
    query: deloadsQuery,
    params: deloadPathParams,
    idempotent: false,
    errors: [404, 409],
    response: { status: 200, description: 'Cancelled.', schema: deloadPlanWire },
  },
} as const satisfies Record<string, EndpointSpec>;
