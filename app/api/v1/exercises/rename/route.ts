import { api } from '@/server/contracts/api';
import { renameExercise } from '@/server/exercises/exercises';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.renameExercise, ({ db, subjectId, body }) => renameExercise(db, subjectId, body.from, body.to)),
);
