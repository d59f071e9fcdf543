import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { sessionToWire } from '@/server/http/wire';
import { listSessions } from '@/server/sessions/session-reads';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.listSessions, async ({ db, subjectId, query }) => {
    const page = await listSessions(db, subjectId, query);
    return { sessions: page.sessions.map(sessionToWire), next_cursor: page.nextCursor };
  }),
);
