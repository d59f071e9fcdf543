import { linkLog } from '@/server/coaching/links';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { linkEventToWire } from '@/server/http/wire';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.getCoachLinkLog, async ({ db, principal }) => ({
    events: (await linkLog(db, principal.userId)).map(linkEventToWire),
  })),
);
