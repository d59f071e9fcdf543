import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { consentOf, setAnalyticsConsent } from '@/server/privacy/consent';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.setConsent, ({ db, subjectId, body }) => setAnalyticsConsent(db, subjectId, body.analytics, 'api')),
  endpoint(api.getConsent, ({ db, subjectId }) => consentOf(db, subjectId)),
);
