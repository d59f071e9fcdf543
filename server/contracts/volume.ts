import { z } from 'zod';
import { rangeParam } from './analytics';
import { shortText, userIdField } from './common';
import type { EndpointSpec } from './endpoint-spec';

/** Muscle groups, as yuhonas/free-exercise-db names them (Unlicense). */
export const MUSCLE_GROUPS = [
  'abdominals',
  'abductors',
  'adductors',
  'biceps',
  'calves',
  'chest',
  'forearms',
  'glutes',
  'hamstrings',
  'lats',
  'lower back',
  'middle back',
  'neck',
  'quadriceps',
  'shoulders',
  'traps',
  'triceps',
] as const;
export type MuscleGroup = (typeof MUSCLE_GROUPS)[number];

/** Weekly volume per muscle group, the lifter's own mapping of an exercise, and their targets (analytics.md). */
const muscleGroup = z.enum(MUSCLE_GROUPS).meta({ id: 'MuscleGroup' });

export const volumeQuery = z
  .strictObject({
    user_id: userIdField.optional().meta({ description: 'Defaults to the token’s user; a coach may name an athlete.' }),
    range: rangeParam.default('12w'),
  })
  .meta({ id: 'VolumeQuery' });

export const exerciseMusclesInput = z
  .strictObject({
    primary: z.array(muscleGroup).min(1).max(MUSCLE_GROUPS.length),
    secondary: z.array(muscleGroup).max(MUSCLE_GROUPS.length).default([]),
  })
  .refine((v) => new Set(v.primary).size === v.primary.length, { path: ['primary'], message: 'names a group twice' })
  .refine((v) => new Set(v.secondary).size === v.secondary.length, {
    path: ['secondary'],
    message: 'names a group twice',
  })
  .refine((v) => !v.secondary.some((g) => v.primary.includes(g)), {
    path: ['secondary'],
    message: 'names a primary group',
  })
  .meta({ id: 'ExerciseMusclesInput' });

const exerciseNameParams = z.strictObject({ name: shortText(120) });

const setCount = z.number().min(0).max(50).meta({ description: 'Hard sets a week.' });
export const muscleTargetInput = z
  .strictObject({ min: setCount, max: setCount })
  .refine((t) => t.max >= t.min, { path: ['max'], message: 'must be at least min' })
  .meta({ id: 'MuscleTargetInput' });
export const muscleTargetParams = z.strictObject({ muscle: muscleGroup });

const groupWeek = z.object({
  hard_sets: z.number().meta({ description: 'Sets close to failure, 1 per primary group and ½ per secondary.' }),
  sets: z.number().meta({ description: 'All working sets, counted the same way.' }),
  tonnage_kg: z.number(),
});

const volumeResponse = z
  .object({
    user_id: z.string(),
    range: z.object({ value: z.string(), start: z.iso.date(), end: z.iso.date() }),
    hard_set: z
      .object({ rpe_at_least: z.number(), reps_in_reserve_at_most: z.number() })
      .meta({ description: 'What counts as hard: RPE when given, else reps in reserve by the estimated strength.' }),
    targets: z.record(z.string(), z.object({ min: z.number(), max: z.number() })),
    weeks: z.array(z.object({ week_start: z.iso.date(), groups: z.record(z.string(), groupWeek) })),
    unmapped: z.array(z.string()).meta({ description: 'Exercises trained in the range that map to no group.' }),
  })
  .meta({ id: 'Volume' });

export const volumeEndpoints = {
  getVolume: {
    operationId: 'getVolume',
    method: 'GET',
    path: '/analytics/volume',
    tags: ['Analyse'],
    summary: 'Weekly hard sets and tonnage per muscle group',
    description:
      'Every working set counts for the groups its exercise trains (your mapping, else the catalog’s from free-exercise-db): 1 for a primary group, ½ for a secondary. Beside each group, your weekly target (10–20 hard sets by default).',
    access: 'read',
    browser: true,
    subject: { in: 'query', name: 'user_id' },
    query: volumeQuery,
    example: { user_id: 'user-123', range: '12w' },
    response: { status: 200, description: 'Week by week, per group.', schema: volumeResponse },
  },
  setExerciseMuscles: {
    operationId: 'setExerciseMuscles',
    method: 'PUT',
    path: '/exercises/{name}/muscles',
    tags: ['Analyse'],
    summary: 'Map one of your exercises to muscle groups',
    description: 'Replaces the catalog’s mapping (or gives one to an exercise of your own). Volume follows at once.',
    access: 'write',
    params: exerciseNameParams,
    body: exerciseMusclesInput,
    errors: [404],
    response: {
      status: 200,
      description: 'The mapping.',
      schema: z
        .object({ exercise: z.string(), primary: z.array(z.string()), secondary: z.array(z.string()) })
        .meta({ id: 'ExerciseMuscles' }),
    },
  },
  setMuscleTarget: {
    operationId: 'setMuscleTarget',
    method: 'PUT',
    path: '/analytics/volume/targets/{muscle}',
    tags: ['Analyse'],
    summary: 'Set your weekly target of hard sets for a muscle group',
    access: 'write',
    params: muscleTargetParams,
    body: muscleTargetInput,
    response: {
      status: 200,
      description: 'The target.',
      schema: z.object({ muscle: z.string(), min: z.number(), max: z.number() }).meta({ id: 'MuscleTarget' }),
    },
  },
} as const satisfies Record<string, EndpointSpec>;
