import { api } from '@/server/contracts/api';
import { planDeload, plansOf } from '@/server/deloads/deloads';
import { endpoint, route } from '@/server/http/endpoint';
import { deloadPlanToWire } from '@/server/http/wire';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.listDeloads, async ({ db, subjectId }) => ({
    user_id: subjectId,
    plans: (await plansOf(db, [subjectId])).map(deloadPlanToWire),
  })),
  endpoint(api.planDeload, async ({ db, principal, subjectId, body, receivedAt }) =>
    deloadPlanToWire(await planDeload(db, principal, subjectId, body, receivedAt)),
  ),
);
