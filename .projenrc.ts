import { awscdk, javascript, JsonFile } from 'projen';

/** Environment every CDK CLI call of ours runs with: no telemetry, no version check, no notices. */
const CDK_CLI_ENV = {
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  CDK_DISABLE_VERSION_CHECK: '1',
};

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-aegis',
  description:
    'Secure-by-default AWS CDK constructs for serverless systems, with cdk-nag v3 compliance enforced at synth time.',
  author: 'cdk-aegis maintainers',
  authorAddress: 'maintainers@cdk-aegis.dev',
  repositoryUrl: 'https://example.invalid/cdk-aegis.git',
  keywords: ['cdk', 'aws-cdk', 'security', 'serverless', 'cdk-nag', 'compliance', 'hipaa', 'nist', 'pci'],
  license: 'Apache-2.0',

  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  github: false,
  release: false,

  // cdk-nag types are part of our public API (Compliance options take NagPacks): a peer, never bundled.
  peerDeps: ['cdk-nag@^3.0.2'],
  // `npx cdk-aegis report cdk.out`: SARIF and ledger for pipelines that synthesize elsewhere.
  bin: { 'cdk-aegis': 'lib/cli.js' },
  devDeps: [
    // Pinned to 2.x: the 3.x CLI rejects cloud assemblies written by aws-cdk-lib 2.276.
    'aws-cdk@^2.1148.1',
    // Ships the SARIF 2.1.0 JSON schema (draft-04) the report tests validate against.
    '@microsoft/jest-sarif@1.0.0-beta.0',
    // JSON Schema validation in tests: SARIF 2.1.0 is draft-04 (ajv-draft-04), the vendored
    // Threat Composer v1 schema is draft 2020-12 with `date-time` formats (ajv/dist/2020, ajv-formats).
    'ajv@^8.17.1',
    'ajv-draft-04@^1.0.0',
    'ajv-formats@^3.0.1',
    // SecureFunction's `entry` bundling runs the app's own esbuild, as NodejsFunction does: the tests and
    // examples bundle with this one (users add it to their app the same way).
    'esbuild@^0.28.2',
    // Types for the example's TypeScript handlers (the runtime's SDK v3 stays external to their bundles).
    '@aws-sdk/client-dynamodb@^3',
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-secrets-manager@^3',
  ],

  jestOptions: {
    // CI must fail on a changed snapshot, never rewrite it.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // Babel instruments our files only; V8 coverage slows every function it runs, aws-cdk-lib's included
      // (measured: jest 156 s with v8, 70 s with babel, 61 s without coverage, on 2 cores).
      coverageProvider: 'babel',
      coverageThreshold: {
        branches: 90, functions: 90, lines: 90, statements: 90,
      },
      testTimeout: 60_000,
      // Jest's default is one worker fewer than the cores, which on 2 cores runs the suites one at a time while the main
      // thread idles (measured on 2 cores: jest 147 s by default, 105 s on both cores).
      maxWorkers: '100%',
    },
  },

  gitignore: ['cdk.out/', '/examples/cdk.out/', '/examples/cdk.out.*/', '.jsii.tabl.json'],
});

// `npm ci` fails on the lock file projen writes without this (a platform binding missing on these machines).
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// ts-jest runs with isolatedModules, so tests are not type-checked by jest: do it first.
const typecheck = project.addTask('test:typecheck', {
  description: 'Type-check tests, examples and benchmarks (ts-jest does not)',
  // One compiler run over both (two runs loaded aws-cdk-lib's types twice: 20 s against 11 s on 2 cores).
  steps: [{ exec: 'tsc --noEmit -p tsconfig.typecheck.json' }],
});
project.testTask.prependSpawn(typecheck);

// Tests, examples and benchmarks are type-checked together, with the library's compiler settings and ts-jest's isolatedModules.
new JsonFile(project, 'tsconfig.typecheck.json', {
  obj: {
    extends: './tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '.', isolatedModules: true },
    include: ['test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts'],
    exclude: ['node_modules', 'examples/cdk.out*'],
  },
});

// The examples are type-checked with the same compiler settings as the library (their own config, for editors).
new JsonFile(project, 'examples/tsconfig.json', {
  obj: {
    extends: '../tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '..' },
    include: ['**/*.ts'],
    exclude: ['node_modules', 'cdk.out'],
  },
});

// Synthesize the example apps with the real CDK CLI; every rule pack of their profile is enforced:
// the app as written (env-agnostic), the same app bound to an account and region, and the REGULATED
// variant (env-bound, imported VPC, replication).
const synthExample = (entry: string, outdir: string) =>
  `cdk synth -q --no-notices --output ${outdir} --app 'node -r ts-node/register/transpile-only ${entry}'`;
project.addTask('synth:example', {
  description: 'Synthesize the example apps with the CDK CLI under Compliance.of(app).enforce()',
  env: CDK_CLI_ENV,
  steps: [
    { say: 'examples/app.ts (BASELINE, env-agnostic)', exec: synthExample('examples/app.ts', 'examples/cdk.out') },
    { say: 'examples/env-bound.ts (BASELINE, env-bound)', exec: synthExample('examples/env-bound.ts', 'examples/cdk.out.env-bound') },
    { say: 'examples/regulated.ts (REGULATED, env-bound, imported VPC)', exec: synthExample('examples/regulated.ts', 'examples/cdk.out.regulated') },
  ],
});

// RULES.md is generated from the rules' metadata; a test fails when it is stale.
project.addTask('rules:doc', {
  description: 'Write RULES.md from the rules of the Aegis pack',
  exec: "node -r ts-node/register/transpile-only -e \"require('./projenrc/rules-doc').writeRulesDoc('RULES.md')\"",
});

project.addTask('rules:gates', {
  description: 'Prove from the installed cdk-nag which resource types each rule can report on (src/compliance/private/rule-gates.generated.ts)',
  exec: "node -r ts-node/register/transpile-only -e \"require('./projenrc/rule-gates').writeRuleGates('src/compliance/private/rule-gates.generated.ts')\"",
});

// Synth cost and template economy, plain aws-cdk-lib vs cdk-aegis (not part of `npm test`): writes bench/RESULTS.md.
project.addTask('bench', {
  description: 'Benchmark synth time, memory, resources and fixed cost (bench/RESULTS.md, bench/results.json)',
  exec: 'node -r ts-node/register/transpile-only bench/run.ts',
});

// Where the synth time of one stack of 100 functions goes (construction, synthesis, each pack, slowest rules).
project.addTask('bench:profile', {
  description: 'Profile one stack of N = 100, plain-nag vs cdk-aegis: phases, packs and the slowest rules',
  exec: 'node -r ts-node/register/transpile-only bench/profile.ts',
});

project.eslint?.addLintPattern('examples');
// The example's Lambda handlers import what their bundles use (the AWS SDK, which their runtime provides): devDependencies of
// this library, never dependencies of its package.
project.eslint?.addOverride({
  files: ['examples/handlers/**/*.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true }] },
});
project.npmignore?.exclude('/examples/', '/bench/', '/.ci/', '/tsconfig.typecheck.json');

project.synth();
