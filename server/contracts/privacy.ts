import { z } from 'zod';
import { userIdField } from './common';

export const consentInput = z
  .strictObject({
    user_id: userIdField
      .optional()
      .meta({ description: 'Defaults to the token’s user; only your own consent can be given.' }),
    analytics: z.boolean().meta({
      description: 'true: share training data for analytics; false: opt out and delete stored instrumentation.',
    }),
  })
  .meta({ id: 'ConsentInput' });

export const consentResult = z
  .object({
    analytics: z.boolean(),
    changed: z
      .boolean()
      .meta({ description: 'Whether this call changed the answer (every call is logged either way).' }),
    deleted_events: z.number().int().meta({ description: 'Instrument events deleted by opting out.' }),
  })
  .meta({ id: 'ConsentResult' });

export const consentQuery = z
  .strictObject({ user_id: userIdField.optional().meta({ description: 'Defaults to the token’s user.' }) })
  .meta({ id: 'ConsentQuery' });

export const consentRecord = z
  .object({
    analytics: z.boolean(),
    history: z.array(z.object({ granted: z.boolean(), source: z.string(), at: z.iso.datetime({ offset: true }) })),
  })
  .meta({ id: 'ConsentRecord' });

export const exportQuery = z
  .strictObject({
    user_id: userIdField
      .optional()
      .meta({ description: 'Defaults to the token’s user; only your own data can be exported.' }),
    format: z
      .enum(['json', 'csv'])
      .default('json')
      .meta({ description: '`json`: every row of every table; `csv`: the sets, one per line.' }),
  })
  .meta({ id: 'ExportQuery' });

export const exportResponse = z
  .object({
    exported_at: z.iso.datetime({ offset: true }),
    user: z
      .object({
        id: z.string(),
        role: z.enum(['lifter', 'coach']),
        display_name: z.string().nullable(),
        analytics_opt_in: z.boolean(),
        created_at: z.string(),
        updated_at: z.string(),
      })
      .nullable(),
    tables: z
      .record(z.string(), z.array(z.record(z.string(), z.unknown())))
      .meta({ description: 'Table name → rows, columns named as in the database; secrets (token hashes) redacted.' }),
  })
  .meta({ id: 'Export' });

export const userPathParams = z.object({ id: userIdField }).meta({ id: 'UserPathParams' });

export const deleteUserResponse = z
  .object({
    deleted: z.record(z.string(), z.number().int()).meta({ description: 'Rows removed, per table.' }),
  })
  .meta({ id: 'DeletedUser' });
