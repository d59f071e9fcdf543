import { ApiError, formatPath } from './errors';

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const SUSPICIOUS_ESCAPE = /\\u(0000|d[89a-f])/i;

/**
 * Reads a JSON body: 415 unless it is declared JSON, 413 past `maxBytes` (checked on the header and while
 * streaming, so a lying or absent Content-Length cannot get past it), 400 when it does not parse.
 * Returns the raw text too: idempotency hashes exactly what was sent.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<{ raw: string; value: unknown }> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(type.trim())) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  const tooLarge = () =>
    new ApiError(413, 'payload_too_large', `The body is larger than ${Math.round(maxBytes / 1024)} KB.`);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();

  let raw = '';
  if (request.body) {
    const reader = request.body.getReader();
    const decoder = new TextDecoder('utf-8', { fatal: false });
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      raw += decoder.decode(value, { stream: true });
    }
    raw += decoder.decode();
  }
  if (raw.trim() === '') throw new ApiError(400, 'invalid_json', 'The request body is empty; send a JSON object.');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `The request body is not valid JSON: ${(err as Error).message}`);
  }
  // Valid JSON can carry NUL or a lone surrogate only as a \u escape (raw ones are not valid JSON or not
  // valid UTF-8): when the text has no such escape, the parsed value cannot hold one and the walk is skipped.
  const bad = SUSPICIOUS_ESCAPE.test(raw) ? unstorableTextPath(value, []) : undefined;
  if (bad) {
    const path = formatPath(bad) || '(body)';
    throw new ApiError(400, 'validation_failed', `Invalid request body: ${path} contains a NUL character or broken Unicode`, [
      { path, message: 'contains a NUL character or broken Unicode (lone surrogate)' },
    ]);
  }
  return { raw, value };
}

/**
 * PostgreSQL stores neither NUL characters in text nor lone UTF-16 surrogates in jsonb; valid JSON can carry
 * both. Refuse them up front, naming where, instead of failing in the database.
 */
function unstorableTextPath(value: unknown, path: (string | number)[]): (string | number)[] | undefined {
  const bad = (s: string) => s.includes('\u0000') || !s.isWellFormed();
  if (typeof value === 'string') return bad(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableTextPath(value[i], [...path, i]);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (bad(k)) return [...path, k];
      const found = unstorableTextPath(v, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Query parameters as an object; a repeated parameter is refused rather than silently picking one. */
export function readQuery(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in out) {
      throw new ApiError(400, 'validation_failed', `Query parameter ${key} is given more than once.`, [
        { path: key, message: 'is given more than once' },
      ]);
    }
    out[key] = value;
  }
  return out;
}
