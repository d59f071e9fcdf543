import { z } from 'zod';
import { IMPORT_FORMATS } from '@/db/schema/enums';
import { userIdField } from './common';
import type { EndpointSpec } from './endpoint-spec';

/** The largest export the API takes: years of history from any of the four apps fit well inside. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** How many faulty lines a refused import lists, and how many warnings a report keeps. */
export const IMPORT_MAX_FAULTS = 20;
export const IMPORT_MAX_WARNINGS = 200;

const importFormat = z.enum(IMPORT_FORMATS);

const importQuery = z.strictObject({
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

const importReport = z
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

const importList = z.object({ imports: z.array(importSummary) }).meta({ id: 'ImportList' });

export const importPathParams = z.strictObject({ id: z.uuid({ error: 'must be an import id (a UUID)' }) });

const importUndone = z
  .object({
    import_id: z.uuid(),
    sessions_removed: z.number().int(),
    sets_removed: z.number().int(),
  })
  .meta({ id: 'ImportUndone' });

export type ImportReport = z.output<typeof importReport>;
export type ImportSummary = z.output<typeof importSummary>;

const importsQuery = z.strictObject({
  user_id: userIdField.optional().meta({ description: 'Only your own imports (anyone else’s → 403).' }),
});

/** The imports endpoints (`api.ts` gathers every domain's). */
export const importsEndpoints = {
  importExport: {
    operationId: 'importExport',
    method: 'POST',
    path: '/imports',
    tags: ['Collect'],
    summary: 'Import your history from Strong, Hevy, FitNotes or Liftosaur',
    description:
      'The app’s CSV export as the body (`text/csv`) or as the `file` field of a form, up to 20 MB; the app and its layout are read from the header. One session per workout, weights in kg, warm-up/drop/failure sets kept as such, exercise names through the catalog. All or nothing: a row that cannot be read → 422 listing the first lines at fault, nothing written (`?skip_invalid=true` imports the rest). Importing the same file again, or a later export containing it, adds only what is new. A file that states no unit needs `?unit=kg|lb` (400 naming `unit`).',
    access: 'write',
    browser: true,
    subject: { in: 'query', name: 'user_id' },
    query: importQuery,
    upload: { maxBytes: IMPORT_MAX_BYTES, description: 'The export file, as the app wrote it.' },
    idempotent: false,
    errors: [422],
    response: { status: 201, description: 'Imported; the report.', schema: importReport },
  },
  listImports: {
    operationId: 'listImports',
    method: 'GET',
    path: '/imports',
    tags: ['Collect'],
    summary: 'Your imports, newest first',
    description: 'Each import with what it created, found again and skipped; undone ones with `undone_at`.',
    access: 'write',
    browser: true,
    subject: { in: 'query', name: 'user_id' },
    query: importsQuery,
    response: { status: 200, description: 'Your imports.', schema: importList },
  },
  undoImport: {
    operationId: 'undoImport',
    method: 'DELETE',
    path: '/imports/{id}',
    tags: ['Collect'],
    summary: 'Undo an import',
    description:
      'Removes exactly the sessions and sets that import created (a session a later import added sets to keeps those); analytics follow at once. An import already undone, or not yours → 404.',
    access: 'write',
    browser: true,
    params: importPathParams,
    idempotent: false,
    errors: [404],
    response: { status: 200, description: 'Undone.', schema: importUndone },
  },
} as const satisfies Record<string, EndpointSpec>;
