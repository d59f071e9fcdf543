import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { recordRecommendation } from '@/server/ingest/recommendations';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.createRecommendation, ({ db, subjectId, body }) => recordRecommendation(db, subjectId, body)),
);
