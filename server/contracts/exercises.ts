import { z } from 'zod';
import { shortText, userIdField } from './common';
import type { EndpointSpec } from './endpoint-spec';

const exercisesQuery = z.strictObject({
  user_id: userIdField.optional().meta({ description: 'A coach may list an athlete’s exercises; default: yours.' }),
});

const exerciseList = z
  .object({
    exercises: z.array(
      z.object({
        name: z.string().meta({ description: 'The lifter’s name for it: what analytics and modifiers use.' }),
        sent_as: z.array(z.string()).meta({ description: 'Every name the app sent it under.' }),
        sets: z.number().int(),
        last_performed: z.iso.date().nullable(),
        in_catalog: z.boolean(),
      }),
    ),
    catalog: z
      .array(z.object({ name: z.string(), aliases: z.array(z.string()) }))
      .meta({ description: 'The canonical exercises and the names (Strong’s, Hevy’s, common ones) that mean them.' }),
  })
  .meta({ id: 'ExerciseList' });

export const exerciseRename = z
  .strictObject({
    from: shortText(120).meta({ description: 'One of your exercises (any case or spacing).', example: 'bench' }),
    to: shortText(120).meta({
      description: 'Its new name; an exercise you already have (any case or spacing) merges them.',
      example: 'Bench Press',
    }),
  })
  .meta({ id: 'ExerciseRename' });

const exerciseRenamed = z
  .object({
    from: z.string(),
    to: z.string(),
    sets: z.number().int().meta({ description: 'Sets moved.' }),
    merged: z.boolean().meta({ description: 'True when `to` was an exercise you already had.' }),
  })
  .meta({ id: 'ExerciseRenamed' });

/** The exercises endpoints (`api.ts` gathers every domain's). */
export const exercisesEndpoints = {
  listExercises: {
    operationId: 'listExercises',
    method: 'GET',
    path: '/exercises',
    tags: ['Analyse'],
    summary: 'Your exercises and the catalog',
    description:
      'Names match case- and whitespace-insensitively, and through the catalog ("Bench Press (Barbell)" is Bench Press). Each of your exercises with every name the app sent it under. A coach may list an athlete’s with `user_id`.',
    access: 'read',
    subject: { in: 'query', name: 'user_id' },
    query: exercisesQuery,
    response: { status: 200, description: 'Your exercises and the catalog.', schema: exerciseList },
  },
  renameExercise: {
    operationId: 'renameExercise',
    method: 'POST',
    path: '/exercises/rename',
    tags: ['Analyse'],
    summary: 'Rename an exercise, or merge it into another',
    description:
      'Retroactive: PRs, plateaus, weekly summaries, the modifier job’s next run and the training export see the new name for all history at once; every spelling that meant the old exercise now means the new one. Sessions still answer the names the app sent. An exercise you do not have → 404 naming `from`.',
    access: 'write',
    body: exerciseRename,
    errors: [404],
    response: { status: 200, description: 'Renamed or merged.', schema: exerciseRenamed },
  },
} as const satisfies Record<string, EndpointSpec>;
