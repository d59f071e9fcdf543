import { notesOnSessions } from '@/server/coaching/session-notes';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { sessionNoteToWire, sessionToWire } from '@/server/http/wire';
import { deleteSession, updateSession } from '@/server/sessions/session-edits';
import { getSession } from '@/server/sessions/session-reads';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.getSession, async ({ db, principal, subjectId, params }) => {
    const session = await getSession(db, subjectId, params.id!);
    // The athlete reads every coach's notes; a coach its own.
    const byCoach = principal.userId === subjectId ? undefined : principal.userId;
    const notes = (await notesOnSessions(db, subjectId, [session.id], byCoach)).get(session.id) ?? [];
    return { ...sessionToWire(session), coach_notes: notes.map(sessionNoteToWire) };
  }),
  endpoint(api.updateSession, async ({ db, subjectId, params, ifMatch, body }) =>
    sessionToWire(await updateSession(db, subjectId, params.id!, ifMatch, body)),
  ),
  endpoint(api.deleteSession, async ({ db, subjectId, params, ifMatch }) => {
    await deleteSession(db, subjectId, params.id!, ifMatch);
    return { session_id: params.id!, deleted: true };
  }),
);
