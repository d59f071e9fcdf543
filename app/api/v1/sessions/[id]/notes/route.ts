import { addSessionNote } from '@/server/coaching/session-notes';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { sessionNoteToWire } from '@/server/http/wire';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.createSessionNote, async ({ db, principal, subjectId, params, body }) =>
    sessionNoteToWire(await addSessionNote(db, principal.userId, subjectId, params.id!, body.note)),
  ),
);
