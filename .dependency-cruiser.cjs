/**
 * Imports follow the one data path of ARCHITECTURE.md: a module may import from modules to its
 * left, never from its right, and platform and lib code import no module at all (type-only imports
 * aside: the context type names the stores it carries). Run by `npm run lint:deps` and in CI.
 *
 *   users → regions → register → assessment → catalogue → entitlements → payments → care-events → visits → timebank
 *   → services → alarms → (later: institutions, ...) → settings → audit → workbench
 */
const ORDER = [
  'users',
  'regions',
  'register',
  'assessment',
  'catalogue',
  'entitlements',
  'payments',
  'care-events',
  'visits',
  'timebank',
  'services',
  'alarms',
  'settings',
  'audit',
  'workbench',
];

const rightOf = (m) => ORDER.slice(ORDER.indexOf(m) + 1);

module.exports = {
  forbidden: [
    ...ORDER.filter((m) => rightOf(m).length).map((m) => ({
      name: `${m}-reads-only-to-its-left`,
      comment: `${m} may use modules to its left on the data path (${ORDER.join(' → ')}), never ${rightOf(m).join(', ')}`,
      severity: 'error',
      from: { path: `^src/modules/${m}/` },
      to: { path: `^src/modules/(${rightOf(m).join('|')})/`, dependencyTypesNot: ['type-only'] },
    })),
    {
      name: 'platform-imports-no-module',
      comment: 'src/platform is what every module uses: it imports no module (type-only imports aside)',
      severity: 'error',
      from: { path: '^src/(platform|db)/' },
      to: { path: '^src/modules/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'lib-is-self-contained',
      comment: 'src/lib (the rule language) is a library: it imports neither the platform nor modules',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/(platform|modules|db)/' },
    },
    {
      name: 'console-imports-no-server-code',
      comment: "the console may import the server's schemas and declarations, never its platform, database or services",
      severity: 'error',
      from: { path: '^web/src/' },
      // paging.ts holds the shared paging schema only
      to: { path: '^src/(platform|db)/|^src/modules/.*\\.(service|repository|routes)\\.ts$', pathNot: '^src/platform/paging\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'warn',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$|/testing/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
