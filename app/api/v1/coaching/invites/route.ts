import { createInvite, listInvites } from '@/server/coaching/invites';
import { api } from '@/server/contracts/api';
import { inviteToWire } from '@/server/contracts/wire';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.createInvite, async ({ db, principal, body, receivedAt }) => {
    const { code, ...invite } = await createInvite(db, principal, body.expires_in_days, receivedAt);
    return { ...inviteToWire(invite), code };
  }),
  endpoint(api.listInvites, async ({ db, principal }) => ({
    invites: (await listInvites(db, principal)).map(inviteToWire),
  })),
);
