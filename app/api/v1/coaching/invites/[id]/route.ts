import { revokeInvite } from '@/server/coaching/invites';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { inviteToWire } from '@/server/http/wire';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.revokeInvite, async ({ db, principal, params }) =>
    inviteToWire(await revokeInvite(db, principal, params.id!)),
  ),
);
