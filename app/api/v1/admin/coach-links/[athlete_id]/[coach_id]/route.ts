import { unlink } from '@/server/coaching/links';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.adminUnlinkCoach, async ({ db, principal, params }) => {
    const changed = await unlink(db, params.athlete_id!, params.coach_id!, principal.userId, 'admin');
    return { athlete_id: params.athlete_id!, coach_id: params.coach_id!, changed };
  }),
);
