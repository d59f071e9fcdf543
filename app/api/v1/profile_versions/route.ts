import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { recordProfileVersion } from '@/server/ingest/profile-versions';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.createProfileVersion, ({ db, subjectId, body }) => recordProfileVersion(db, subjectId, body)),
);
