import { setMuscleTarget } from '@/server/analytics/volume';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.setMuscleTarget, ({ db, subjectId, params, body }) =>
    setMuscleTarget(db, subjectId, api.setMuscleTarget.params.parse(params).muscle, body.min, body.max),
  ),
);
