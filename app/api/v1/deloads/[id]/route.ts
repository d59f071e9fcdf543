import { api } from '@/server/contracts/api';
import { cancelDeload } from '@/server/deloads/deloads';
import { endpoint, route } from '@/server/http/endpoint';
import { deloadPlanToWire } from '@/server/http/wire';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.cancelDeload, async ({ db, principal, subjectId, params, receivedAt }) =>
    deloadPlanToWire(await cancelDeload(db, principal, subjectId, params.id!, receivedAt)),
  ),
);
