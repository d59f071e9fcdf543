import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

/**
 * A throwaway PostgreSQL 15 cluster for tests and benchmarks: a temporary folder, a free port on 127.0.0.1,
 * trust auth, and `stop()` that removes it all. PostgreSQL refuses to run as root, so as root it runs as the
 * unprivileged `postgres` user (created when missing).
 */

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface ThrowawayPostgres {
  url: string;
  port: number;
  dataDir: string;
  /** With `tls`: the self-signed certificate the server presents (a client's `sslrootcert`). */
  caFile?: string;
  /** Stops the server at once, as a crash would (`pg_ctl stop -m immediate`), keeping its data. */
  halt(): void;
  /** Starts a halted server again on the same port; returns once it accepts connections. */
  resume(): void;
  /** Stops the server and removes everything it had. */
  stop(): void;
}

export interface StartOptions {
  /** Test runs trade durability for speed; benchmarks keep the defaults. */
  fast?: boolean;
  extraConfig?: Record<string, string | number>;
  /** Serve TLS too, with a fresh self-signed certificate for 127.0.0.1 (plain connections still work). */
  tls?: boolean;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function ensurePostgresUser(): { uid: number; gid: number } {
  const lookup = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (lookup().status !== 0) {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'inherit',
    });
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

type Run = (bin: string, args: string[]) => Buffer;

export async function startPostgres(opts: StartOptions = {}): Promise<ThrowawayPostgres> {
  checkBinaries();
  const root = mkdtempSync(path.join(os.tmpdir(), 'overload-pg-'));
  const dataDir = path.join(root, 'data');
  const socketDir = root;
  const logFile = path.join(root, 'postgres.log');
  const run = runner(root);
  const tls = opts.tls ? selfSignedCertificate(root) : undefined;

  const port = await freePort();
  run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const config: Record<string, string | number> = {
    port,
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir,
    max_connections: 200,
    ...(opts.fast ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
    ...(tls ? { ssl: 'on', ssl_cert_file: tls.certFile, ssl_key_file: tls.keyFile } : {}),
    ...opts.extraConfig,
  };
  const o = Object.entries(config)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const start = () => run('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '30', '-o', o]);
  try {
    start();
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${log}`);
  }
  const halt = () => run('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']);

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      halt();
    } catch {
      // already gone
    }
    rmSync(root, { recursive: true, force: true });
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    caFile: tls?.certFile,
    halt,
    resume: () => {
      start();
    },
    stop,
  };
}

function checkBinaries(): void {
  for (const bin of ['initdb', 'pg_ctl']) {
    if (!existsSync(path.join(PG_BIN, bin))) {
      throw new Error(`PostgreSQL 15 binaries not found in ${PG_BIN} (install Debian's postgresql-15 or set PG_BIN).`);
    }
  }
}

/** Runs a PostgreSQL binary; as root, hands `root` to the `postgres` user and runs it through runuser. */
function runner(root: string): Run {
  if (!isRoot()) return (bin, args) => execFileSync(path.join(PG_BIN, bin), args, { stdio: 'pipe' });
  const { uid, gid } = ensurePostgresUser();
  chownSync(root, uid, gid);
  chmodSync(root, 0o700);
  return (bin, args) =>
    execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args], { stdio: 'pipe' });
}

/** A one-day certificate for 127.0.0.1 and localhost, its key readable by the server's user only. */
function selfSignedCertificate(root: string): { certFile: string; keyFile: string } {
  const certFile = path.join(root, 'server.crt');
  const keyFile = path.join(root, 'server.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'pipe' },
  );
  // PostgreSQL insists that only its own user can read the key.
  if (isRoot()) {
    const { uid, gid } = ensurePostgresUser();
    chownSync(keyFile, uid, gid);
    chownSync(certFile, uid, gid);
  }
  chmodSync(keyFile, 0o600);
  chmodSync(certFile, 0o644);
  return { certFile, keyFile };
}

/** A URL for another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
