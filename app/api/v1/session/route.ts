import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { recordSession } from '@/server/ingest/sessions';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.createSession, async ({ db, subjectId, body }) => {
    const { sessionId } = await recordSession(db, subjectId, body);
    return { session_id: sessionId };
  }),
);
