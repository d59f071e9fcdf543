import type { ExpectedVersion } from '@/server/versions';
import { ApiError } from './errors';

/**
 * Conditional edits (RFC 9110 §13.1.1): a resource's version travels as a strong ETag, `"<version>"`, and an edit
 * must say which version it was made from in `If-Match`. Without one: 428; from a stale copy: 412.
 */
export const etagOf = (version: number) => `"${version}"`;

export function expectedVersion(headers: Headers): ExpectedVersion {
  const header = headers.get('if-match');
  if (header === null || header.trim() === '') {
    throw new ApiError(
      428,
      'precondition_required',
      'Send If-Match with the ETag of the version you edited (from GET), so a stale copy cannot overwrite a newer one.',
      [{ path: 'If-Match', message: 'is required' }],
    );
  }
  if (header.trim() === '*') return '*';
  const tags = header.split(',').map((t) => /^\s*(W\/)?"([^"]*)"\s*$/.exec(t));
  if (tags.some((t) => t === null)) {
    throw new ApiError(400, 'validation_failed', 'If-Match must list ETags like "3", or be *.', [
      { path: 'If-Match', message: 'must list ETags like "3", or be *' },
    ]);
  }
  // Strong comparison, of the opaque tag as we write it: a weak tag (W/"3"), "03" or one we never gave out matches
  // no version.
  const versions = tags.flatMap((t) => (!t![1] && /^(0|[1-9]\d{0,8})$/.test(t![2]!) ? [Number(t![2])] : []));
  return versions;
}
