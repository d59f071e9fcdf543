import Provider from 'oidc-provider';
import { freePort } from '../scripts/lib/free-port';

/**
 * A real OpenID provider for the e2e run (`oidc-provider`, a certified implementation), on loopback: one
 * confidential client for the app, PKCE required, its development login and consent screens (any login name is
 * an account whose `sub` is that name, any password).
 */
export const OIDC_CLIENT = { id: 'overload-e2e', secret: 'e2e-client-secret-0123456789abcdef' };

export async function startOidcProvider(appUrl: string): Promise<{ issuer: string; close: () => Promise<void> }> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [`${appUrl}/signin/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    cookies: { keys: ['e2e-cookie-key-0123456789'] },
    claims: { openid: ['sub'], profile: ['name'] },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, name: sub }),
    }),
  });
  const server = provider.listen(port);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
