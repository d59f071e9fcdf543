import { api } from '@/server/contracts/api';
import { mapExercise } from '@/server/exercises/exercise-muscles';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.setExerciseMuscles, ({ db, subjectId, params, body }) => mapExercise(db, subjectId, params.name!, body)),
);
