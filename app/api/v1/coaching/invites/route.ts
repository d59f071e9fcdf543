import { createInvite, listInvites } from '@/server/coaching/invites';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { inviteToWire } from '@/server/http/wire';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.createInvite, async ({ db, principal, body, receivedAt }) => {
    const { code, ...invite } = await createInvite(db, principal, body.expires_in_days, receivedAt);
    return { ...inviteToWire(invite), code };
  }),
  endpoint(api.listInvites, async ({ db, principal }) => ({
    invites: (await listInvites(db, principal)).map(inviteToWire),
  })),
);
