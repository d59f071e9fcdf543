import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { undoImport } from '@/server/imports/imports';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.undoImport, async ({ db, subjectId, params }) => undoImport(db, subjectId, params.id!)),
);
