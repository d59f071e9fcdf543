import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { overlayToWire } from '@/server/http/wire';
import { overlayFor } from '@/server/modifiers/overlay';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.getModifiers, ({ db, principal, subjectId, receivedAt }) =>
    overlayFor(db, subjectId, receivedAt, { servedToApp: principal.userId === subjectId }).then(overlayToWire),
  ),
);
