import { userRoleOf } from '@/server/admin/users';
import { linkIdentity, unlinkIdentity } from '@/server/auth/identities';
import { api } from '@/server/contracts/api';
import { notFound } from '@/server/errors';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.adminLinkIdentity, async ({ db, principal, body }) => {
    if (!(await userRoleOf(db, body.user_id))) throw notFound(`User ${body.user_id}`, 'user_id');
    const { changed } = await linkIdentity(db, { ...body, userId: body.user_id, by: principal.userId });
    return { issuer: body.issuer, subject: body.subject, user_id: body.user_id, changed };
  }),
  endpoint(api.adminUnlinkIdentity, async ({ db, query }) => {
    const { changed } = await unlinkIdentity(db, query);
    return { issuer: query.issuer, subject: query.subject, user_id: null, changed };
  }),
);
