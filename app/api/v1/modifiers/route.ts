import { api } from '@/server/contracts/api';
import { overlayToWire } from '@/server/contracts/wire';
import { endpoint, route } from '@/server/http/endpoint';
import { overlayFor } from '@/server/modifiers/overlay';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.getModifiers, ({ db, principal, subjectId, receivedAt }) =>
    overlayFor(db, subjectId, receivedAt, { servedToApp: principal.userId === subjectId }).then(overlayToWire),
  ),
);
