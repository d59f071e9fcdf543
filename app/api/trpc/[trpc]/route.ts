import { handleTrpcRequest } from '@/server/trpc/http';

export { handleTrpcRequest as GET, handleTrpcRequest as POST };
