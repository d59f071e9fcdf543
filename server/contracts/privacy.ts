import { z } from 'zod';
import { userIdField } from './common';
import type { EndpointSpec } from './endpoint-spec';

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

const consentResult = z
  .object({
    analytics: z.boolean(),
    changed: z
      .boolean()
      .meta({ description: 'Whether this call changed the answer (every call is logged either way).' }),
    deleted_events: z.number().int().meta({ description: 'Instrument events deleted by opting out.' }),
  })
  .meta({ id: 'ConsentResult' });

const consentQuery = z
  .strictObject({ user_id: userIdField.optional().meta({ description: 'Defaults to the token’s user.' }) })
  .meta({ id: 'ConsentQuery' });

const consentRecord = z
  .object({
    analytics: z.boolean(),
    history: z.array(z.object({ granted: z.boolean(), source: z.string(), at: z.iso.datetime({ offset: true }) })),
  })
  .meta({ id: 'ConsentRecord' });

const exportQuery = z
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

const exportResponse = z
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

const userPathParams = z.object({ id: userIdField }).meta({ id: 'UserPathParams' });

const deleteUserResponse = z
  .object({
    deleted: z.record(z.string(), z.number().int()).meta({ description: 'Rows removed, per table.' }),
  })
  .meta({ id: 'DeletedUser' });

/** The privacy endpoints (`api.ts` gathers every domain's). */
export const privacyEndpoints = {
  setConsent: {
    operationId: 'setConsent',
    method: 'POST',
    path: '/consent',
    tags: ['Protect'],
    summary: 'Opt in to or out of analytics',
    description:
      'Every answer is kept in an append-only consent log. Opting out deletes the instrument events already stored; training features (sessions, PRs, modifiers) work either way.',
    access: 'write',
    subject: { in: 'body', name: 'user_id' },
    body: consentInput,
    example: { user_id: 'user-123', analytics: true },
    response: { status: 200, description: 'The answer now in force.', schema: consentResult },
  },
  getConsent: {
    operationId: 'getConsent',
    method: 'GET',
    path: '/consent',
    tags: ['Protect'],
    summary: 'The current analytics consent and its history',
    access: 'write',
    subject: { in: 'query', name: 'user_id' },
    query: consentQuery,
    example: { user_id: 'user-123' },
    response: {
      status: 200,
      description: 'Current answer and every answer given, newest first.',
      schema: consentRecord,
    },
  },
  exportUserData: {
    operationId: 'exportUserData',
    method: 'GET',
    path: '/export',
    tags: ['Protect'],
    summary: 'Everything stored about you',
    description:
      'JSON: every row of every table that holds your data, free text decrypted. `format=csv`: your sets as CSV (text/csv), for a spreadsheet. Only your own data.',
    access: 'write',
    subject: { in: 'query', name: 'user_id' },
    query: exportQuery,
    example: { user_id: 'user-123' },
    response: { status: 200, description: 'Your data.', schema: exportResponse },
    alsoProduces: ['text/csv'],
  },
  deleteUser: {
    operationId: 'deleteUser',
    method: 'DELETE',
    path: '/users/{id}',
    tags: ['Protect'],
    summary: 'Delete your account and every row of your data',
    description:
      'One transaction: afterwards no table holds a row of yours, and your tokens stop working. Only the user itself may do this. Safe to repeat (a repeat answers 401: the token is gone), so Idempotency-Key is ignored. The last admin cannot delete itself (409 `last_admin`).',
    access: 'write',
    subject: { in: 'path', name: 'id' },
    params: userPathParams,
    idempotent: false,
    errors: [409],
    response: { status: 200, description: 'Deleted; rows removed per table.', schema: deleteUserResponse },
  },
} as const satisfies Record<string, EndpointSpec>;
