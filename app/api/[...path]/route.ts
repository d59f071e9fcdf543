import { errorResponse } from '@/server/http/endpoint';
import { ApiError } from '@/server/http/errors';

// Unknown API paths answer in the API's JSON error shape, not with the HTML 404 page.
const notFound = async (request: Request) =>
  errorResponse(new ApiError(404, 'not_found', `No API route at ${new URL(request.url).pathname}.`));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
