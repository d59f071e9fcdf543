import { api } from '@/server/contracts/api';
import { startExperiment } from '@/server/experiments/experiments';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.startExperiment, ({ db, params, receivedAt }) => startExperiment(db, params.key!, receivedAt)),
);
