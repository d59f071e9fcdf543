import { endLinkWith } from '@/server/coaching/links';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.endCoachLink, async ({ db, principal, params }) => {
    const { athleteId, coachId } = await endLinkWith(db, principal.userId, params.user_id!);
    return { athlete_id: athleteId, coach_id: coachId };
  }),
);
