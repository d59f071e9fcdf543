import { z } from 'zod';
import { IMPORT_FORMATS } from '@/db/schema/enums';
import { userIdField } from './common';

/** The largest export the API takes: years of history from any of the four apps fit well inside. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** How many faulty lines a refused import lists, and how many warnings a report keeps. */
export const IMPORT_MAX_FAULTS = 20;
export const IMPORT_MAX_WARNINGS = 200;

const importFormat = z.enum(IMPORT_FORMATS);

export const importQuery = z.strictObject({
  user_id: userIdField.optional().meta({ description: 'Whose history: only your own (a coach or anyone else → 403).' }),
  format: importFormat
    .optional()
    .meta({ description: 'The app that wrote the file; detected from its header when absent.' }),
  unit: z.enum(['kg', 'lb']).optional().meta({
    description: 'The unit of the weights, required only when the file states none (Strong’s 12-column export).',
  }),
  skip_invalid: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .meta({
      description: 'Import the rows that can be read and report the others, instead of refusing the file (422).',
    }),
});

const importWarning = z.object({ line: z.number().int(), message: z.string() });

export const importReport = z
  .object({
    import_id: z.uuid(),
    format: importFormat,
    layout: z.string().meta({ example: 'strong, comma, 12 columns, no unit' }),
    sessions: z.number().int().meta({ description: 'Sessions created (workouts not imported before).' }),
    sets: z.object({
      new: z.number().int(),
      duplicate: z.number().int().meta({ description: 'Sets an earlier import already brought.' }),
      skipped: z.number().int().meta({
        description:
          'Rows that are not sets (rest timers, cardio, planned but not done), and rows skipped as unreadable with `skip_invalid`.',
      }),
    }),
    skipped_reasons: z.record(z.string(), z.number().int()).meta({ description: 'Skipped rows counted by reason.' }),
    warnings: z
      .array(importWarning)
      .meta({ description: `Each skipped row with its line (the first ${IMPORT_MAX_WARNINGS}).` }),
  })
  .meta({ id: 'ImportReport' });

const importSummary = importReport
  .omit({ skipped_reasons: true, warnings: true })
  .extend({
    file_name: z.string().nullable(),
    created_at: z.iso.datetime(),
    undone_at: z.iso.datetime().nullable(),
    warnings: z.number().int().meta({ description: 'How many warnings the report had.' }),
  })
  .meta({ id: 'ImportSummary' });

export const importList = z.object({ imports: z.array(importSummary) }).meta({ id: 'ImportList' });

export const importPathParams = z.strictObject({ id: z.uuid({ error: 'must be an import id (a UUID)' }) });

export const importUndone = z
  .object({
    import_id: z.uuid(),
    sessions_removed: z.number().int(),
    sets_removed: z.number().int(),
  })
  .meta({ id: 'ImportUndone' });

export type ImportReport = z.output<typeof importReport>;
export type ImportSummary = z.output<typeof importSummary>;

export const importsQuery = z.strictObject({
  user_id: userIdField.optional().meta({ description: 'Only your own imports (anyone else’s → 403).' }),
});
