import { api } from '@/server/contracts/api';
import { EXERCISE_CATALOG } from '@/server/exercises/catalog';
import { listExercises } from '@/server/exercises/exercises';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.listExercises, async ({ db, subjectId }) => ({
    exercises: (await listExercises(db, subjectId)).map((e) => ({
      name: e.name,
      sent_as: e.sentAs,
      sets: e.sets,
      last_performed: e.lastPerformed,
      in_catalog: e.inCatalog,
    })),
    catalog: EXERCISE_CATALOG.map((c) => ({ name: c.name, aliases: [...c.aliases] })),
  })),
);
