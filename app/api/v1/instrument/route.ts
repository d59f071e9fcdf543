import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { eventsOf } from '@/server/ingest/instrument';
import { instrumentWriter } from '@/server/ingest/instrument-writer';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.ingestInstrument, ({ db, principal, body, receivedAt }) =>
    instrumentWriter(db).record({ userId: principal.userId, events: eventsOf(body), receivedAt }),
  ),
);
