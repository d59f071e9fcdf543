import { analyticsEndpoints } from './analytics';
import { coachingEndpoints } from './coaching';
import { deloadsEndpoints } from './deloads';
import type { EndpointSpec } from './endpoint-spec';
import { exercisesEndpoints } from './exercises';
import { experimentsEndpoints } from './experiments';
import { feedbackEndpoints } from './feedback';
import { identitiesEndpoints } from './identities';
import { importsEndpoints } from './imports';
import { instrumentEndpoints } from './instrument';
import { modifiersEndpoints } from './modifiers';
import { privacyEndpoints } from './privacy';
import { profileVersionsEndpoints } from './profile-versions';
import { recommendationsEndpoints } from './recommendations';
import { sessionNotesEndpoints } from './session-notes';
import { sessionsEndpoints } from './sessions';
import { volumeEndpoints } from './volume';

/**
 * Every REST endpoint as data, gathered from the domains' contracts (each spec lives beside its schemas). Route handlers bind these to services; the OpenAPI document is generated from
 * the same objects, so what is documented is what is enforced.
 */
export const api = {
  ...profileVersionsEndpoints,
  ...sessionsEndpoints,
  ...sessionNotesEndpoints,
  ...recommendationsEndpoints,
  ...feedbackEndpoints,
  ...instrumentEndpoints,
  ...analyticsEndpoints,
  ...volumeEndpoints,
  ...modifiersEndpoints,
  ...deloadsEndpoints,
  ...privacyEndpoints,
  ...experimentsEndpoints,
  ...coachingEndpoints,
  ...identitiesEndpoints,
  ...exercisesEndpoints,
  ...importsEndpoints,
} as const satisfies Record<string, EndpointSpec>;
