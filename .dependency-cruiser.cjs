/**
 * The house rules for imports, checked by `npm test` (test/architecture/layers.spec.ts) with
 * dependency-cruiser. Layers point down only:
 *
 *   0 data and file formats   host/data, host/io, host/rng.ts, host/package-root.ts, boards/*.ts (profiles)
 *   1 engine                  host/engine
 *   2 devices                 host/device, host/energy
 *   3 training                host/train, host/distill
 *   4 report, power, deploy   host/report, host/power, host/deploy (report may read power's records)
 *   5 commands                host/commands
 *   6 CLI                     host/cli.ts, host/bin/
 *
 * Besides: no cycles; the product (host/, boards/) imports neither tests nor devDependencies; every
 * product module is reachable from the CLI (nothing in the product serves only the tests).
 */
const LAYERS = [
  ['data and file formats', '^(host/(data|io)/|host/rng\\.ts$|host/package-root\\.ts$|boards/[^/]+\\.ts$)'],
  ['engine', '^host/engine/'],
  ['devices', '^host/(device|energy)/'],
  ['training', '^host/(train|distill)/'],
  ['report, power, deploy', '^host/(report|power|deploy)/'],
  ['commands', '^host/commands/'],
  ['CLI', '^host/(cli\\.ts$|bin/)'],
];

const upward = LAYERS.slice(0, -1).map(([name, from], k) => ({
  name: `layer-${k}-points-down`,
  comment: `${name} (layer ${k}) imports only layers 0..${k}: not ${LAYERS.slice(k + 1).map(([n]) => n).join(', ')}`,
  severity: 'error',
  from: { path: from },
  to: { path: LAYERS.slice(k + 1).map(([, p]) => `(${p})`).join('|') },
}));

module.exports = {
  forbidden: [
    { name: 'no-cycles', comment: 'no import cycle anywhere in the product', severity: 'error', from: { path: '^(host|boards)/' }, to: { circular: true } },
    ...upward,
    { name: 'power-below-report', comment: 'power and deploy do not import the report', severity: 'error', from: { path: '^host/(power|deploy)/' }, to: { path: '^host/report/' } },
    { name: 'power-apart-from-deploy', comment: 'power does not import deploy', severity: 'error', from: { path: '^host/power/' }, to: { path: '^host/deploy/' } },
    { name: 'deploy-apart-from-power', comment: 'deploy does not import power', severity: 'error', from: { path: '^host/deploy/' }, to: { path: '^host/power/' } },
    { name: 'product-not-tests', comment: 'the product never imports the tests or their harness', severity: 'error', from: { path: '^(host|boards)/' }, to: { path: '^test/' } },
    { name: 'product-not-dev-deps', comment: 'the product imports no devDependency (they are not installed for users)', severity: 'error', from: { path: '^(host|boards)/' }, to: { dependencyTypes: ['npm-dev'] } },
    {
      name: 'product-reachable-from-cli',
      comment: 'every product module is reachable from the CLI: a module only the tests import belongs to the tests',
      severity: 'error',
      from: { path: '^host/cli\\.ts$' },
      to: { path: '^(host|boards)/[^.]+\\.ts$', pathNot: ['^host/bin/', '\\.d\\.ts$', '^host/cli\\.ts$'], reachable: false },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^build/' },
  },
};
