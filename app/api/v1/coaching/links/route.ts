import { linksOf } from '@/server/coaching/links';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.getCoachLinks, ({ db, principal }) => linksOf(db, principal.userId)),
);
