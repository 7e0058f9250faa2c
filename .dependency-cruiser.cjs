// The import direction of docs/architecture.md, enforced with the tests (`npm test`).
// The workspace packages (event-pattern, shared) and storage know nothing of ours; core knows
// the packages and the storage port; wire and delivery know core; only server wires adapters
// together; cli is a thin client. The console's own check is scripts/check-console-imports.mjs.
const layer = (name) => `^src/${name}/`;
module.exports = {
  forbidden: [
    {
      name: 'event-pattern-is-standalone',
      comment: 'The engine is publishable on its own: no imports from the app, no runtime npm deps.',
      severity: 'error',
      from: { path: '^packages/event-pattern/src/' },
      to: { pathNot: ['^packages/event-pattern/src/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'shared-is-standalone',
      comment: 'Shared by the server, the CLI and the browser console: no imports of ours, no npm packages, no Node.js built-ins.',
      severity: 'error',
      from: { path: '^packages/shared/src/' },
      to: { pathNot: ['^packages/shared/src/'] },
    },
    {
      name: 'shared-for-core-cli-console',
      comment:
        'Lambda policy and CreateFunction rules are domain knowledge: core (and what stands on it), the CLI and the console use them; storage, runtime and the engine do not.',
      severity: 'error',
      from: { path: ['^src/(storage|runtime)/', '^packages/event-pattern/'] },
      to: { path: '^packages/shared/' },
    },
    {
      name: 'storage-knows-no-domain',
      severity: 'error',
      from: { path: layer('storage') },
      to: { path: ['^src/(core|wire|delivery|server|cli)/'] },
    },
    {
      name: 'core-knows-no-transport',
      comment: 'core is domain only: no HTTP, no wire formats, no adapters.',
      severity: 'error',
      from: { path: layer('core') },
      to: { path: ['^src/(wire|delivery|server|cli)/', '^src/storage/(sqlite|jetstream)/'] },
    },
    {
      name: 'wire-is-protocol-only',
      severity: 'error',
      from: { path: layer('wire') },
      to: { path: ['^src/(storage|delivery|server|cli)/'] },
    },
    {
      name: 'delivery-above-core',
      severity: 'error',
      from: { path: layer('delivery') },
      to: { path: ['^src/(wire|server|cli)/'] },
    },
    {
      name: 'runtime-runs-functions-only',
      comment: 'src/runtime (function processes) implements a core port: it knows core, nothing above it.',
      severity: 'error',
      from: { path: layer('runtime') },
      to: { path: ['^src/(wire|delivery|server|cli|storage)/'] },
    },
    {
      name: 'only-cli-imports-server',
      comment: 'src/embed is `amiwatch start` as a function (the package entry), so it composes the server too.',
      severity: 'error',
      from: { pathNot: ['^src/(server|cli|embed)/', '^test/', '^bench/'] },
      to: { path: layer('server') },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'Except src/embed for the --init file (the `init` option), loaded only when given.',
      severity: 'error',
      from: { pathNot: ['^src/cli/', '^src/embed/', '^test/'] },
      to: { path: layer('cli') },
    },
    {
      name: 'embed-is-the-package-entry',
      comment: 'src/embed is reached through src/index.ts (the package entry) only.',
      severity: 'error',
      from: { pathNot: ['^src/embed/', '^src/index[.]ts$', '^test/', '^bench/'] },
      to: { path: layer('embed') },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'resolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    // A workspace package resolves to its built types (packages/NAME/dist/index.d.ts): kept in
    // the graph, unfollowed, so that the rules above see who imports it.
    doNotFollow: { path: ['node_modules', '^packages/[^/]+/dist/'] },
    exclude: { path: ['^dist/', 'node_modules'] },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'] },
  },
};
