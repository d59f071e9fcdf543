import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

/**
 * Encryption in transit to PostgreSQL, with libpq's meaning of `sslmode` (and `sslrootcert`) in the URL:
 *   disable → plain; allow / prefer → TLS when the server offers it; require → TLS, certificate not checked;
 *   verify-ca → TLS, certificate checked against the CA; verify-full → that, and the host name too.
 * Without `sslmode`, a production connection to a non-local host uses verify-full: secure unless told otherwise.
 */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export type PostgresSsl = false | 'prefer' | 'require' | ConnectionOptions;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '']);

function sslModeOf(url: URL, production: boolean): SslMode {
  const given =
    url.searchParams.get('sslmode') ??
    (url.searchParams.get('ssl') === 'true' ? 'require' : url.searchParams.get('ssl') === 'false' ? 'disable' : null);
  if (given) {
    if (!(SSL_MODES as readonly string[]).includes(given))
      throw new Error(`sslmode must be one of ${SSL_MODES.join(', ')}`);
    return given as SslMode;
  }
  // A host in the query (`?host=/socket/dir`) or a loopback host never leaves the machine.
  const local = LOCAL_HOSTS.has(url.hostname) || url.searchParams.has('host');
  return production && !local ? 'verify-full' : 'disable';
}

/** The `ssl` option for the postgres driver, and the URL without the parameters libpq reads but the server would not. */
export function postgresConnection(
  databaseUrl: string,
  production: boolean,
): { url: string; ssl: PostgresSsl; mode: SslMode } {
  const url = new URL(databaseUrl);
  const mode = sslModeOf(url, production);
  const rootCert = url.searchParams.get('sslrootcert');
  for (const p of ['sslmode', 'ssl', 'sslrootcert']) url.searchParams.delete(p);
  const ca = rootCert && rootCert !== 'system' ? readFileSync(rootCert, 'utf8') : undefined;
  const ssl: PostgresSsl =
    mode === 'disable'
      ? false
      : mode === 'allow' || mode === 'prefer'
        ? 'prefer'
        : mode === 'require'
          ? 'require'
          : {
              rejectUnauthorized: true,
              ...(ca ? { ca } : {}),
              // verify-ca trusts any name on a certificate the CA signed; verify-full checks it (Node's default).
              ...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
            };
  return { url: url.toString(), ssl, mode };
}
