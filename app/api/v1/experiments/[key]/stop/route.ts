import { api } from '@/server/contracts/api';
import { stopExperiment } from '@/server/experiments/experiments';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.stopExperiment, ({ db, params, receivedAt }) => stopExperiment(db, params.key!, receivedAt)),
);
