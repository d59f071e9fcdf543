import { analyticsOf } from '@/server/analytics/service';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { analyticsToWire } from '@/server/http/wire';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.getAnalytics, async ({ db, subjectId, query, receivedAt }) =>
    analyticsToWire(await analyticsOf(db, subjectId, query.range, receivedAt)),
  ),
);
