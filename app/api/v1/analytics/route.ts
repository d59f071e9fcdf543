import { getAnalytics } from '@/server/analytics/service';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.getAnalytics, ({ db, subjectId, query, receivedAt }) =>
    getAnalytics(db, subjectId, query.range, receivedAt),
  ),
);
