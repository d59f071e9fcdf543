import { volumeOf } from '@/server/analytics/volume';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { volumeToWire } from '@/server/http/wire';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.getVolume, async ({ db, subjectId, query, receivedAt }) =>
    volumeToWire(subjectId, await volumeOf(db, subjectId, query.range, receivedAt)),
  ),
);
