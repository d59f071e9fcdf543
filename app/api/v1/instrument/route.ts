import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { eventsOf, recordInstrumentEvents } from '@/server/ingest/instrument';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.ingestInstrument, ({ db, principal, body, receivedAt }) =>
    recordInstrumentEvents(db, principal.userId, eventsOf(body), receivedAt),
  ),
);
