import { api } from '@/server/contracts/api';
import { getExperiment, updateExperiment } from '@/server/experiments/experiments';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.getExperiment, ({ db, params }) => getExperiment(db, params.key!)),
  endpoint(api.updateExperiment, ({ db, params, body }) => updateExperiment(db, params.key!, body)),
);
