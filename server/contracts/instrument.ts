import { z } from 'zod';
import { instant, userIdField, withinDepth } from './common';

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
