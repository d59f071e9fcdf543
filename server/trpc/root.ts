import { analyticsRouter } from './routers/analytics';
import { createCallerFactory, router } from './init';

export const appRouter = router({
  analytics: analyticsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
