import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { recordFeedback } from '@/server/ingest/feedback';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.createFeedback, async ({ db, subjectId, body }) => {
    await recordFeedback(db, subjectId, body);
    return { ok: true };
  }),
);
