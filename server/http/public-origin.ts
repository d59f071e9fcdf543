import { env } from '@/server/env';

/**
 * The origin people reach this app at: `APP_ORIGIN` (required in production), else — in development and tests —
 * the request's own Host. Never X-Forwarded-Host: any client can send it (an OIDC `redirect_uri` on evil.test).
 */
export function publicOrigin(request: Request): string {
  const configured = env().APP_ORIGIN;
  if (configured) return configured;
  const url = new URL(request.url);
  const host = request.headers.get('host') ?? url.host;
  return `${url.protocol}//${host}`;
}
