import { userRoleOf } from '@/server/admin/users';
import { link } from '@/server/coaching/links';
import { api } from '@/server/contracts/api';
import { notFound } from '@/server/errors';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.adminLinkCoach, async ({ db, principal, body }) => {
    if (!(await userRoleOf(db, body.athlete_id))) throw notFound(`User ${body.athlete_id}`, 'athlete_id');
    const changed = await link(db, body.athlete_id, body.coach_id, principal.userId, 'admin');
    return { athlete_id: body.athlete_id, coach_id: body.coach_id, changed };
  }),
);
