import { z } from 'zod';
import { MAX_NOTES, shortText, userIdField } from './common';
import type { EndpointSpec } from './endpoint-spec';

/** A coach's note on an athlete's session: written by a linked coach, read and deletable by the athlete. */
export const sessionNoteInput = z
  .strictObject({
    user_id: userIdField.meta({ description: 'The athlete whose session it is; you must coach them.' }),
    note: shortText(MAX_NOTES),
  })
  .meta({ id: 'SessionNoteInput' });

const sessionId = z.uuid({ error: 'must be a session id (a UUID)' });
const notePathParams = z.strictObject({ id: sessionId });
export const sessionNotePathParams = z.strictObject({
  id: sessionId,
  note_id: z.uuid({ error: 'must be a note id (a UUID)' }),
});

export const sessionNoteWire = z
  .object({
    note_id: z.uuid(),
    session_id: z.uuid(),
    coach_id: z.string(),
    note: z.string(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'SessionNote' });

export const sessionNotesEndpoints = {
  createSessionNote: {
    operationId: 'createSessionNote',
    method: 'POST',
    path: '/sessions/{id}/notes',
    tags: ['Coaching'],
    summary: 'Leave a note on an athlete’s session (coaches)',
    description:
      'Only a current coach of the athlete; stored encrypted. The athlete sees it on the dashboard and in `GET /sessions/{id}` (`coach_notes`), and may delete it; it is deleted when the link ends.',
    access: 'read',
    subject: { in: 'body', name: 'user_id' },
    params: notePathParams,
    body: sessionNoteInput,
    errors: [404],
    response: { status: 201, description: 'Stored.', schema: sessionNoteWire },
  },
  deleteSessionNote: {
    operationId: 'deleteSessionNote',
    method: 'DELETE',
    path: '/sessions/{id}/notes/{note_id}',
    tags: ['Coaching'],
    summary: 'Delete a coach’s note on your session',
    access: 'write',
    params: sessionNotePathParams,
    idempotent: false,
    errors: [404],
    response: {
      status: 200,
      description: 'Deleted.',
      schema: z.object({ note_id: z.uuid(), deleted: z.literal(true) }).meta({ id: 'SessionNoteDeleted' }),
    },
  },
} as const satisfies Record<string, EndpointSpec>;
