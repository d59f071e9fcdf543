import { acceptInvite } from '@/server/coaching/invites';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.acceptInvite, async ({ db, principal, body, receivedAt }) => {
    const { coachId, linked } = await acceptInvite(db, principal, body.code, receivedAt);
    return { coach_id: coachId, linked };
  }),
);
