import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { deleteUser } from '@/server/privacy/delete-user';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.deleteUser, ({ db, subjectId }) => deleteUser(db, subjectId)),
);
