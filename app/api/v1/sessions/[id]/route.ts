import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { sessionToWire } from '@/server/http/wire';
import { deleteSession, updateSession } from '@/server/sessions/session-edits';
import { getSession } from '@/server/sessions/session-reads';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.getSession, async ({ db, subjectId, params }) =>
    sessionToWire(await getSession(db, subjectId, params.id!)),
  ),
  endpoint(api.updateSession, async ({ db, subjectId, params, ifMatch, body }) =>
    sessionToWire(await updateSession(db, subjectId, params.id!, ifMatch, body)),
  ),
  endpoint(api.deleteSession, async ({ db, subjectId, params, ifMatch }) => {
    await deleteSession(db, subjectId, params.id!, ifMatch);
    return { session_id: params.id!, deleted: true };
  }),
);
