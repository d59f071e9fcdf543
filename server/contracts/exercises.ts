import { z } from 'zod';
import { shortText, userIdField } from './common';

export const exercisesQuery = z.strictObject({
  user_id: userIdField.optional().meta({ description: 'A coach may list an athlete’s exercises; default: yours.' }),
});

export const exerciseList = z
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

export const exerciseRenamed = z
  .object({
    from: z.string(),
    to: z.string(),
    sets: z.number().int().meta({ description: 'Sets moved.' }),
    merged: z.boolean().meta({ description: 'True when `to` was an exercise you already had.' }),
  })
  .meta({ id: 'ExerciseRenamed' });
