import { deleteSessionNote } from '@/server/coaching/session-notes';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.deleteSessionNote, async ({ db, subjectId, params }) => {
    await deleteSessionNote(db, subjectId, params.id!, params.note_id!);
    return { note_id: params.note_id!, deleted: true as const };
  }),
);
