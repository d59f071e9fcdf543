import { provisionUser } from '@/server/admin/users';
import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.adminPutUser, ({ db, params, body }) =>
    provisionUser(db, { id: params.id!, role: body.role, displayName: body.display_name }),
  ),
);
