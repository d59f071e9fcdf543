/**
 * The direction of dependencies, checked by tests/unit/layering.test.ts (`npx depcruise app server db scripts bench
 * tests e2e` prints the same): app → server/http | server/trpc → server/<domain> → db; contracts describe the API
 * and import no domain; the demo and the simulator are the tests', scripts' and demo seed's, never production's;
 * no import cycles anywhere, type imports included. Exceptions would be listed here with a reason: there are none.
 */
const DOMAIN = '^server/(?!http/|trpc/|contracts/)';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Modules that import each other cannot be understood (or changed) apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'db-is-the-bottom',
      comment: 'The schema and the client know nothing of the server or the pages.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(server|app)/' },
    },
    {
      name: 'server-never-imports-app',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^app/' },
    },
    {
      name: 'domains-know-no-transport',
      comment: 'A domain throws its own errors (server/errors.ts); REST and tRPC map them.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: '^server/(http|trpc)/' },
    },
    {
      name: 'rest-below-trpc',
      comment: 'tRPC may use the REST edge’s helpers (errors, limits, body reading), not the other way round.',
      severity: 'error',
      from: { path: '^server/http/' },
      to: { path: '^server/trpc/' },
    },
    {
      name: 'contracts-import-no-domain',
      comment: 'The contracts describe the API (zod, specs); only the calendar is below them.',
      severity: 'error',
      from: { path: '^server/contracts/' },
      to: { path: '^server/', pathNot: '^server/(contracts|time)/' },
    },
    {
      name: 'demo-and-simulator-stay-out-of-production',
      comment: 'Used by scripts, tests, the bench and the demo seed only.',
      severity: 'error',
      from: { path: '^(app|server)/', pathNot: '^server/(demo|simulation)/' },
      to: { path: '^server/(demo|simulation)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.next|\\.data)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
