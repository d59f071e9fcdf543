import { api } from '@/server/contracts/api';
import { createExperiment, listExperiments } from '@/server/experiments/experiments';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.listExperiments, async ({ db }) => ({ experiments: await listExperiments(db) })),
  endpoint(api.createExperiment, ({ db, principal, body }) => createExperiment(db, principal.userId, body)),
);
