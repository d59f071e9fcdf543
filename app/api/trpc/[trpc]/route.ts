import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createTrpcContext } from '@/server/trpc/context';
import { retryAfterSeconds } from '@/server/trpc/init';
import { appRouter } from '@/server/trpc/root';

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: ({ req }) => createTrpcContext({ headers: req.headers }),
    responseMeta: ({ errors }) => {
      const wait = retryAfterSeconds(errors);
      return wait === undefined ? {} : { headers: new Headers({ 'retry-after': String(wait) }) };
    },
  });

export { handler as GET, handler as POST };
