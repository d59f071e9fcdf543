import { createCallerFactory, router } from './init';
import { analyticsRouter } from './routers/analytics';
import { coachRouter } from './routers/coach';
import { coachingRouter } from './routers/coaching';
import { deloadsRouter } from './routers/deloads';
import { exercisesRouter } from './routers/exercises';
import { experimentsRouter } from './routers/experiments';
import { importsRouter } from './routers/imports';
import { modelsRouter } from './routers/models';
import { modifiersRouter } from './routers/modifiers';
import { privacyRouter } from './routers/privacy';
import { tokensRouter } from './routers/tokens';

export const appRouter = router({
  analytics: analyticsRouter,
  modifiers: modifiersRouter,
  deloads: deloadsRouter,
  coach: coachRouter,
  privacy: privacyRouter,
  models: modelsRouter,
  experiments: experimentsRouter,
  tokens: tokensRouter,
  coaching: coachingRouter,
  exercises: exercisesRouter,
  imports: importsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
