import { z } from 'zod';
import { instant, userIdField, withinDepth } from './common';
import type { EndpointSpec } from './endpoint-spec';

const INSTRUMENT_EVENT_MAX_BYTES = 32 * 1024;
const INSTRUMENT_BATCH_MAX = 1000;

const eventFields = {
  type: z.enum(['profile_snapshot', 'session_submitted', 'session_finished']),
  payload: withinDepth(z.record(z.string(), z.unknown())),
  event_id: z.uuid().optional().meta({ description: 'Client-generated; a re-sent event is stored once.' }),
  occurred_at: instant.optional().meta({ description: 'Device clock when the event happened.' }),
  sent_at: instant.optional().meta({ description: 'Device clock when the event was sent.' }),
};

const withinSize = (e: unknown) => Buffer.byteLength(JSON.stringify(e)) <= INSTRUMENT_EVENT_MAX_BYTES;
const sizeMessage = `an event must be at most ${INSTRUMENT_EVENT_MAX_BYTES / 1024} KB of JSON`;

const instrumentEvent = z.strictObject(eventFields).refine(withinSize, sizeMessage).meta({ id: 'InstrumentEvent' });

/** The seed's shape: one event, `{type, payload}`; `user_id` is optional (the token names the user). */
const singleInstrumentEvent = z
  .strictObject({ ...eventFields, user_id: userIdField.optional() })
  .refine(withinSize, sizeMessage)
  .meta({ id: 'SingleInstrumentEvent' });

const instrumentBatch = z
  .strictObject({
    user_id: userIdField.optional(),
    sent_at: instant.optional().meta({ description: 'When the batch was sent; applies to events without their own.' }),
    events: z.array(instrumentEvent).min(1).max(INSTRUMENT_BATCH_MAX),
  })
  .meta({ id: 'InstrumentBatch' });

export const instrumentInput = z.union([singleInstrumentEvent, instrumentBatch]).meta({ id: 'InstrumentInput' });

export type InstrumentEvent = z.infer<typeof instrumentEvent>;
export type InstrumentInput = z.infer<typeof instrumentInput>;

export const instrumentResult = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    dropped: z.number().int().meta({ description: 'Events of a user who has not opted in to analytics: not stored.' }),
  })
  .meta({ id: 'InstrumentResult' });

/** The instrument endpoints (`api.ts` gathers every domain's). */
export const instrumentEndpoints = {
  ingestInstrument: {
    operationId: 'ingestInstrument',
    method: 'POST',
    path: '/instrument',
    tags: ['Collect'],
    summary: 'Lightweight instrumentation: one event or a batch of up to 1,000',
    description:
      'Each event ≤ 32 KB. A re-sent `event_id` is counted as a duplicate, never stored twice. Events of users who have not opted in to analytics are dropped. The server stores a skew-corrected time: received_at − (sent_at − occurred_at).',
    access: 'write',
    subject: { in: 'body', name: 'user_id' },
    body: instrumentInput,
    example: {
      events: [
        {
          type: 'session_submitted',
          payload: { sets: 1 },
          event_id: '0b6a2f0e-6a43-4c33-9d1e-7f3c2b1a9e10',
          occurred_at: '2025-11-24T12:34:00Z',
          sent_at: '2025-11-24T12:34:02Z',
        },
      ],
    },
    maxBodyBytes: 1024 * 1024,
    response: { status: 200, description: 'Counted.', schema: instrumentResult },
  },
} as const satisfies Record<string, EndpointSpec>;
