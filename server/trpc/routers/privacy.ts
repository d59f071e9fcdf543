import { consentInput } from '@/server/contracts/privacy';
import { consentOf, setAnalyticsConsent } from '@/server/privacy/consent';
import { authedProcedure, router } from '../init';

/** The signed-in user's own privacy settings (never someone else's, coach or not). */
export const privacyRouter = router({
  consent: authedProcedure.query(({ ctx }) => consentOf(ctx.db, ctx.principal.userId)),
  setConsent: authedProcedure
    .input(consentInput.pick({ analytics: true }))
    .mutation(({ ctx, input }) => setAnalyticsConsent(ctx.db, ctx.principal.userId, input.analytics, 'dashboard')),
});
