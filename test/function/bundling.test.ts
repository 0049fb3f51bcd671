import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BundleFormat, Compliance, SecureFunction, SecureFunctionProps, ThreatModel } from '../../src';
import { newApp } from '../helpers/synth';

const ENTRY = path.join(__dirname, '..', 'fixtures', 'handlers', 'validate-order.ts');
const VENDOR = path.join(__dirname, '..', 'vendor', 'cyclonedx');
const schema = (file: string) => JSON.parse(fs.readFileSync(path.join(VENDOR, file), 'utf8'));
// CycloneDX 1.6 is JSON Schema draft-07 and references the SPDX and JSF schemas by file name.
// ajv-formats has no `iri-reference` or `idn-email` (external references and contacts, which these SBOMs do not have).
const cyclonedx = addFormats(new Ajv({ allErrors: true, strict: false })).addFormat('iri-reference', true).addFormat('idn-email', true)
  .addSchema(schema('spdx.schema.json'), 'spdx.schema.json')
  .addSchema(schema('jsf-0.82.schema.json'), 'jsf-0.82.schema.json')
  .compile(schema('bom-1.6.schema.json'));

const installed = (name: string) => JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version as string;

function functionProps(template: Template): any {
  return Object.values<any>(template.findResources('AWS::Lambda::Function'))[0].Properties;
}

/** The staged bundle of the stack's one function (the asset directory its S3 key names). */
function bundleDir(app: App, template: Template): string {
  const key: string = functionProps(template).Code.S3Key;
  return path.join(app.outdir, `asset.${key.replace(/\.zip$/, '')}`);
}

function readSbom(app: App, file: string): any {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'sbom', file), 'utf8'));
}

describe('SecureFunction entry bundling', () => {
  test('a TypeScript entry that imports an npm package is bundled with esbuild; the template points at the bundle', () => {
    const app = newApp();
    const stack = new Stack(app, 'Orders');
    new SecureFunction(stack, 'Validate', { entry: ENTRY });
    const template = Template.fromStack(stack);
    const props = functionProps(template);
    expect(props.Handler).toBe('index.handler');
    expect(props.Environment.Variables).toEqual({ NODE_OPTIONS: '--enable-source-maps' });
    const dir = bundleDir(app, template);
    expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
    const bundle = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    // ajv's own code is in the bundle (its error text), minified (no comment of the source survives), with no require of it left.
    expect(bundle).toContain('must have required property');
    expect(bundle).not.toMatch(/require\(["']ajv["']\)/);
    expect(bundle).not.toContain('A handler as app teams write them');
    // The runtime's AWS SDK v3 stays external; the source map names the TypeScript entry.
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'index.js.map'), 'utf8')).sources.join(' ')).toContain('validate-order.ts');
  });

  test('its SBOM lists every bundled package with its exact version and purl, the function as the root, and validates against CycloneDX 1.6', () => {
    const app = newApp();
    new SecureFunction(new Stack(app, 'Orders'), 'Validate', { entry: ENTRY });
    const sbom = readSbom(app, 'Orders.Validate.cdx.json');
    expect(cyclonedx(sbom)).toBe(true);
    expect(cyclonedx.errors ?? []).toEqual([]);
    expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', metadata: { component: { type: 'application', name: 'Orders/Validate' } } });
    const ajv = installed('ajv');
    expect(sbom.components).toContainEqual({
      'type': 'library', 'bom-ref': `pkg:npm/ajv@${ajv}`, 'name': 'ajv', 'version': ajv, 'purl': `pkg:npm/ajv@${ajv}`, 'licenses': [{ expression: 'MIT' }],
    });
    // ajv's own dependencies went into the bundle too, and are listed as ajv's.
    const names = sbom.components.map((c: any) => c.name).sort();
    expect(names).toEqual(expect.arrayContaining(['ajv', 'fast-deep-equal', 'json-schema-traverse']));
    expect(sbom.dependencies).toContainEqual({ ref: 'function:Orders/Validate', dependsOn: [`pkg:npm/ajv@${ajv}`] });
    expect(sbom.dependencies.find((d: any) => d.ref === `pkg:npm/ajv@${ajv}`).dependsOn).toContain(`pkg:npm/fast-deep-equal@${installed('fast-deep-equal')}`);
    // The same bundle gives the same document.
    const again = newApp();
    new SecureFunction(new Stack(again, 'Orders'), 'Validate', { entry: ENTRY });
    expect(readSbom(again, 'Orders.Validate.cdx.json')).toEqual(sbom);
  });

  test('a function inside a Stage gets its SBOM under the stack\'s path, and the threat model counts its contents as known', () => {
    const app = newApp();
    const stack = new Stack(new Stage(app, 'Prod'), 'Orders');
    new SecureFunction(stack, 'Validate', { entry: ENTRY });
    new SecureFunction(stack, 'Prebuilt', { code: lambda.Code.fromAsset(path.join(__dirname, '..', 'fixtures', 'handlers')), handler: 'index.handler' });
    app.synth();
    expect(fs.readdirSync(path.join(app.outdir, 'sbom'))).toEqual(['Prod.Orders.Validate.cdx.json']);
    const model = ThreatModel.write(app.outdir);
    expect(model.threats).toBeGreaterThan(0);
    const markdown = fs.readFileSync(path.join(app.outdir, 'threat-model.md'), 'utf8');
    expect(markdown).toContain('`sbom/Prod.Orders.Validate.cdx.json` (CycloneDX)');
    expect(markdown).toContain('contents unknown: no `sbom/Prod.Orders.Prebuilt.cdx.json`');
  });

  test.each([
    ['from tree.json', {}],
    ['from aws:cdk:path metadata (as the CDK CLI synthesizes)', { context: { 'aws:cdk:enable-path-metadata': true } }],
  ])('the compliance ledger says which functions have an SBOM, inline code, or contents unknown (construct paths %s)', (_name, appProps) => {
    const app = newApp(appProps);
    Compliance.of(app).enforce();
    const stack = new Stack(app, 'Orders');
    new SecureFunction(stack, 'Validate', { entry: ENTRY });
    new SecureFunction(stack, 'Prebuilt', { code: lambda.Code.fromAsset(path.join(__dirname, '..', 'fixtures', 'handlers')), handler: 'index.handler' });
    new SecureFunction(stack, 'Inline', { code: lambda.Code.fromInline('exports.handler = async () => 1;'), handler: 'index.handler' });
    app.synth();
    const ledger = JSON.parse(fs.readFileSync(path.join(app.outdir, 'compliance-ledger.json'), 'utf8'));
    expect(ledger.functionContents).toEqual([
      { constructPath: 'Orders/Inline', contents: 'inline code' },
      { constructPath: 'Orders/Prebuilt', contents: 'contents unknown' },
      { constructPath: 'Orders/Validate', contents: 'sbom/Orders.Validate.cdx.json' },
    ]);
    expect(fs.readFileSync(path.join(app.outdir, 'compliance-ledger.md'), 'utf8')).toContain('3 function(s), 1 with contents unknown');
  });

  test('a prebuilt asset with a package-lock.json gets an SBOM of its locked, non-dev packages', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-prebuilt-'));
    fs.writeFileSync(path.join(dir, 'index.js'), 'exports.handler = async () => 1;');
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { name: 'orders', dependencies: { '@smithy/util-uri-escape': '^4.0.0' }, devDependencies: { jest: '^30.0.0' } },
        'node_modules/@smithy/util-uri-escape': { version: '4.0.0', license: 'Apache-2.0', dependencies: { tslib: '^2.6.2' } },
        'node_modules/tslib': { version: '2.8.1', license: '0BSD' },
        'node_modules/jest': { version: '30.0.0', dev: true },
      },
    }));
    const app = newApp();
    new SecureFunction(new Stack(app, 'Orders'), 'Prebuilt', { code: lambda.Code.fromAsset(dir), handler: 'index.handler' });
    const sbom = readSbom(app, 'Orders.Prebuilt.cdx.json');
    expect(cyclonedx(sbom)).toBe(true);
    expect(sbom.components.map((c: any) => c.purl)).toEqual(['pkg:npm/%40smithy/util-uri-escape@4.0.0', 'pkg:npm/tslib@2.8.1']);
    expect(sbom.dependencies[0]).toEqual({ ref: 'function:Orders/Prebuilt', dependsOn: ['pkg:npm/%40smithy/util-uri-escape@4.0.0'] });
  });

  test('nodeModules are installed next to the bundle with their dependencies (not bundled), and listed in the SBOM', () => {
    const app = newApp();
    const stack = new Stack(app, 'Orders');
    new SecureFunction(stack, 'Validate', { entry: ENTRY, bundling: { nodeModules: ['ajv'] } });
    const dir = bundleDir(app, Template.fromStack(stack));
    expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8')).toMatch(/require\(["']ajv["']\)/);
    const copied = fs.readdirSync(path.join(dir, 'node_modules')).sort();
    expect(copied).toEqual(expect.arrayContaining(['ajv', 'fast-deep-equal', 'fast-uri', 'json-schema-traverse', 'require-from-string']));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'ajv', 'package.json'), 'utf8')).version).toBe(installed('ajv'));
    const sbom = readSbom(app, 'Orders.Validate.cdx.json');
    expect(cyclonedx(sbom)).toBe(true);
    expect(sbom.components.map((c: any) => c.name).sort()).toEqual(copied);
    expect(sbom.dependencies[0].dependsOn).toEqual([`pkg:npm/ajv@${installed('ajv')}`]);
  });

  test('options: ESM output, no minification or source maps, defines, a banner and extra esbuild flags', () => {
    const app = newApp();
    const stack = new Stack(app, 'Orders');
    new SecureFunction(stack, 'Validate', {
      entry: ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      environment: { NODE_OPTIONS: '--max-old-space-size=200' },
      bundling: {
        format: BundleFormat.ESM,
        minify: false,
        sourceMap: false,
        banner: '/* built by cdk-aegis */',
        define: { 'process.env.STAGE': JSON.stringify('prod') },
        mainFields: ['module', 'main'],
        externalModules: ['@aws-sdk/*', 'fast-uri'],
        esbuildArgs: { '--log-limit': '0', 'keep-names': true },
      },
    });
    const template = Template.fromStack(stack);
    const props = functionProps(template);
    expect(props.Handler).toBe('index.handler');
    // The app's NODE_OPTIONS stays as set (source maps are off here, so nothing is added).
    expect(props.Environment.Variables).toEqual({ NODE_OPTIONS: '--max-old-space-size=200' });
    const dir = bundleDir(app, template);
    expect(fs.readdirSync(dir)).toEqual(['index.mjs']);
    const bundle = fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    expect(bundle.startsWith('/* built by cdk-aegis */')).toBe(true);
    expect(bundle).toMatch(/from ["']fast-uri["']|import\(["']fast-uri["']\)|require\(["']fast-uri["']\)/);
    expect(bundle).toContain('export {');
  });

  /** A scratch project with its lock file and this repository's esbuild linked in; `pkg` writes a package into it. */
  function scratchProject(lockFile: string): { root: string; pkg: (dir: string, json: Record<string, unknown>) => void } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-project-'));
    const pkg = (dir: string, json: Record<string, unknown>) => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(json));
      fs.writeFileSync(path.join(dir, 'index.js'), 'module.exports = {};');
    };
    fs.writeFileSync(path.join(root, lockFile), lockFile.endsWith('.json') ? '{}' : '');
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.symlinkSync(path.dirname(require.resolve('esbuild/package.json')), path.join(root, 'node_modules', 'esbuild'));
    return { root, pkg };
  }

  /** A project where `left` needs shared@1 (nested under it) and `right` needs shared@2 (hoisted). */
  function twoVersionsProject(): { root: string; entry: string; pkg: (dir: string, json: Record<string, unknown>) => void } {
    const { root, pkg } = scratchProject('package-lock.json');
    pkg(path.join(root, 'node_modules', 'right'), { name: 'right', version: '1.0.0', dependencies: { shared: '^2' }, optionalDependencies: { 'native-linux': '*' } });
    pkg(path.join(root, 'node_modules', 'native-linux'), { name: 'native-linux', version: '1.0.0' });
    pkg(path.join(root, 'node_modules', 'shared'), { name: 'shared', version: '2.0.0', license: 'MIT' });
    pkg(path.join(root, 'node_modules', 'left'), { name: 'left', version: '1.0.0', dependencies: { shared: '^1', right: '^1' }, optionalDependencies: { 'native-darwin': '*' } });
    pkg(path.join(root, 'node_modules', 'left', 'node_modules', 'shared'), { name: 'shared', version: '1.0.0', license: 'SEE LICENSE IN LICENSE.md' });
    const entry = path.join(root, 'handler.ts');
    fs.writeFileSync(entry, "import 'right';\nimport 'left';\nimport 'shared';\nexport const handler = async () => 1;\n");
    return { root, entry, pkg };
  }

  test.each([
    ['right, left', ['right', 'left']],
    ['left, shared (the listed shared wins the top, left gets its own)', ['left', 'shared']],
  ])('nodeModules (%s) keep each dependency at the version its dependent resolves; a missing optional one is skipped', (_name, nodeModules) => {
    const { entry } = twoVersionsProject();
    const app = newApp();
    const stack = new Stack(app, 'Orders');
    new SecureFunction(stack, 'Fn', { entry, bundling: { nodeModules, loader: { '.txt': 'text' }, tsconfig: path.join(__dirname, '..', 'tsconfig.json') } });
    const dir = bundleDir(app, Template.fromStack(stack));
    const version = (...at: string[]) => JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', ...at, 'package.json'), 'utf8')).version;
    expect(version('shared')).toBe('2.0.0');
    expect(version('left', 'node_modules', 'shared')).toBe('1.0.0');
    const sbom = readSbom(app, 'Orders.Fn.cdx.json');
    expect(cyclonedx(sbom)).toBe(true);
    expect(sbom.components.map((c: any) => c.purl)).toEqual([
      'pkg:npm/left@1.0.0', 'pkg:npm/native-linux@1.0.0', 'pkg:npm/right@1.0.0', 'pkg:npm/shared@1.0.0', 'pkg:npm/shared@2.0.0',
    ]);
    // An installed optional dependency is copied and listed as its dependent's.
    expect(sbom.dependencies.find((d: any) => d.ref === 'pkg:npm/right@1.0.0').dependsOn).toContain('pkg:npm/native-linux@1.0.0');
    // A license that is no SPDX expression is named, not parsed.
    expect(sbom.components.find((c: any) => c.purl === 'pkg:npm/shared@1.0.0').licenses).toEqual([{ license: { name: 'SEE LICENSE IN LICENSE.md' } }]);
  });

  test('nodeModules follow a symlinked (pnpm) layout to the dependencies the real package resolves', () => {
    const { root, pkg } = scratchProject('pnpm-lock.yaml');
    // node_modules/p -> .pnpm/p@1.0.0/node_modules/p, whose dependency q sits beside it in the store.
    pkg(path.join(root, 'node_modules', '.pnpm', 'p@1.0.0', 'node_modules', 'p'), { name: 'p', version: '1.0.0', dependencies: { q: '^1' } });
    pkg(path.join(root, 'node_modules', '.pnpm', 'q@1.0.0', 'node_modules', 'q'), { name: 'q', version: '1.0.0' });
    fs.symlinkSync(path.join(root, 'node_modules', '.pnpm', 'q@1.0.0', 'node_modules', 'q'), path.join(root, 'node_modules', '.pnpm', 'p@1.0.0', 'node_modules', 'q'));
    fs.symlinkSync(path.join(root, 'node_modules', '.pnpm', 'p@1.0.0', 'node_modules', 'p'), path.join(root, 'node_modules', 'p'));
    const entry = path.join(root, 'handler.ts');
    fs.writeFileSync(entry, "import 'p';\nexport const handler = async () => 1;\n");
    const app = newApp();
    const stack = new Stack(app, 'Orders');
    new SecureFunction(stack, 'Fn', { entry, bundling: { nodeModules: ['p'] } });
    const dir = bundleDir(app, Template.fromStack(stack));
    expect(fs.readdirSync(path.join(dir, 'node_modules')).sort()).toEqual(['p', 'q']);
    expect(readSbom(app, 'Orders.Fn.cdx.json').components.map((c: any) => c.purl)).toEqual(['pkg:npm/p@1.0.0', 'pkg:npm/q@1.0.0']);
  });

  test('nodeModules end a dependency cycle across versions (a@1 → b@1 → a@2 → b@2 → a@2), each copy where Node finds it', () => {
    const { root, pkg } = scratchProject('package-lock.json');
    const nm = (...at: string[]) => path.join(root, 'node_modules', ...at);
    pkg(nm('a'), { name: 'a', version: '1.0.0', dependencies: { b: '^1' } });
    pkg(nm('b'), { name: 'b', version: '1.0.0', dependencies: { a: '^2' } });
    pkg(nm('b', 'node_modules', 'a'), { name: 'a', version: '2.0.0', dependencies: { b: '^2' } });
    pkg(nm('b', 'node_modules', 'a', 'node_modules', 'b'), { name: 'b', version: '2.0.0', dependencies: { a: '^2' } });
    const entry = path.join(root, 'handler.ts');
    fs.writeFileSync(entry, "import 'a';\nexport const handler = async () => 1;\n");
    const app = newApp();
    const stack = new Stack(app, 'Orders');
    new SecureFunction(stack, 'Fn', { entry, bundling: { nodeModules: ['a'] } });
    const dir = bundleDir(app, Template.fromStack(stack));
    const version = (...at: string[]) => JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', ...at, 'package.json'), 'utf8')).version;
    expect([version('a'), version('b'), version('b', 'node_modules', 'a'), version('b', 'node_modules', 'a', 'node_modules', 'b')])
      .toEqual(['1.0.0', '1.0.0', '2.0.0', '2.0.0']);
    // b@2's a@2 is the one above it: not copied again.
    expect(fs.existsSync(path.join(dir, 'node_modules', 'b', 'node_modules', 'a', 'node_modules', 'b', 'node_modules'))).toBe(false);
  });

  test('fails when a nodeModule, or a required dependency of one, is not installed', () => {
    const { root, entry, pkg } = twoVersionsProject();
    expect(() => new SecureFunction(new Stack(newApp(), 'Other'), 'Fn', { entry, bundling: { nodeModules: ['absent'], projectRoot: root } }))
      .toThrow(/`bundling\.nodeModules` names absent, which is not installed/);
    pkg(path.join(root, 'node_modules', 'broken'), { name: 'broken', version: '1.0.0', dependencies: { gone: '^1' } });
    expect(() => new SecureFunction(new Stack(newApp(), 'Other'), 'Fn', { entry, bundling: { nodeModules: ['broken'], projectRoot: root } }))
      .toThrow(/`bundling\.nodeModules`: broken needs gone, which is not installed/);
  });

  test('fails when no lock file is found from the working directory, naming the props that say where the project is', () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-no-lock-'));
    const cwd = jest.spyOn(process, 'cwd').mockReturnValue(elsewhere);
    try {
      expect(() => new SecureFunction(new Stack(newApp(), 'Orders'), 'Fn', { entry: ENTRY }))
        .toThrow(/no lock file .* in .*aegis-no-lock-.* or above it: pass `bundling\.depsLockFilePath` or `bundling\.projectRoot`/);
    } finally {
      cwd.mockRestore();
    }
  });

  test('an SBOM an earlier synth wrote is removed when the function\'s contents are no longer known (cdk.out is not emptied)', () => {
    const first = newApp();
    new SecureFunction(new Stack(first, 'Orders'), 'Validate', { entry: ENTRY });
    const file = path.join(first.outdir, 'sbom', 'Orders.Validate.cdx.json');
    expect(fs.existsSync(file)).toBe(true);
    const again = new App({ outdir: first.outdir });
    new SecureFunction(new Stack(again, 'Orders'), 'Validate', { code: lambda.Code.fromAsset(path.join(__dirname, '..', 'fixtures', 'handlers')), handler: 'index.handler' });
    expect(fs.existsSync(file)).toBe(false);
  });

  test('source maps extend a NODE_OPTIONS the app set', () => {
    const app = newApp();
    const stack = new Stack(app, 'Orders');
    new SecureFunction(stack, 'Validate', { entry: ENTRY, environment: { NODE_OPTIONS: '--max-old-space-size=200' } });
    expect(functionProps(Template.fromStack(stack)).Environment.Variables.NODE_OPTIONS).toBe('--max-old-space-size=200 --enable-source-maps');
  });

  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    ['neither code nor entry is given', { handler: 'index.handler' }, /pass `code` \(a prebuilt asset.*or `entry`.*got neither/],
    ['both code and entry are given', { entry: ENTRY, code: lambda.Code.fromInline('x'), handler: 'index.handler' }, /pass either `code` or `entry`, not both/],
    ['code comes without a handler', { code: lambda.Code.fromInline('x') }, /`handler` is required/],
    ['bundling comes with code', { code: lambda.Code.fromInline('x'), handler: 'index.handler', bundling: {} }, /`bundling` applies to `entry` only/],
    ['entry is not a script', { entry: path.join(__dirname, '..', 'fixtures', 'handlers', 'index.py') }, /`entry` must be a \.ts, \.js, \.mjs, \.mts file, got: ".*index\.py"/],
    ['entry does not exist', { entry: 'src/nothing-here.ts' }, /`entry` must be an existing file, got: "src\/nothing-here\.ts"/],
    ['entry is not a string (untyped callers)', { entry: 42 }, /`entry` must be a non-empty string/],
    ['handler names a file with entry', { entry: ENTRY, handler: 'index.handler' }, /`handler` names the exported function of `entry`.*got: "index\.handler"/],
    ['bundling.format is a member\'s name (untyped callers)', { entry: ENTRY, bundling: { format: 'ES_MODULES' } }, /`bundling\.format` must be a member of `BundleFormat`/],
    ['bundling.nodeModules is not a list', { entry: ENTRY, bundling: { nodeModules: 'ajv' } }, /`bundling\.nodeModules` must be a list/],
    ['bundling.tsconfig does not exist', { entry: ENTRY, bundling: { tsconfig: 'nope/tsconfig.json' } }, /`bundling\.tsconfig` must be an existing file, got: "nope\/tsconfig\.json"/],
    ['bundling.depsLockFilePath is a directory', { entry: ENTRY, bundling: { depsLockFilePath: __dirname } }, /`bundling\.depsLockFilePath` must be an existing file/],
    ['bundling.nodeModules names a path or a version', { entry: ENTRY, bundling: { nodeModules: ['../secrets', 'sharp@0.33'] } },
      /takes package names .*got: "\.\.\/secrets".*got: "sharp@0\.33"/s],
    ['bundling.projectRoot is not a directory', { entry: ENTRY, bundling: { projectRoot: ENTRY } }, /`bundling\.projectRoot` must be an existing directory/],
    ['esbuildArgs sets what the construct sets', { entry: ENTRY, bundling: { esbuildArgs: { '--outfile': 'x.js', 'target': 'node18' } } },
      /cannot set `--outfile`: SecureFunction sets it.*cannot set `--target`: use `runtime`/s],
    ['esbuildArgs is a list (untyped callers)', { entry: ENTRY, bundling: { esbuildArgs: ['--log-limit=0'] } }, /`bundling\.esbuildArgs` must be a map of esbuild flags/],
    ['esbuildArgs has a number (untyped callers)', { entry: ENTRY, bundling: { esbuildArgs: { 'log-limit': 0 } } }, /`bundling\.esbuildArgs\['log-limit'\]` must be a string or a boolean, got: 0/],
    ['entry comes with a non-Node.js runtime', { entry: ENTRY, runtime: lambda.Runtime.PYTHON_3_13 }, /`runtime` must be a Node\.js runtime, got: "python3\.13"/],
  ];
  test.each(invalid)('fails when %s', (_name, props, message) => {
    const stack = new Stack(newApp(), 'Orders');
    expect(() => new SecureFunction(stack, 'Validate', props as unknown as SecureFunctionProps)).toThrow(message);
  });

  test('fails when esbuild is not installed in the project, naming the package to add', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-no-esbuild-'));
    fs.writeFileSync(path.join(root, 'package-lock.json'), '{}');
    const stack = new Stack(newApp(), 'Orders');
    expect(() => new SecureFunction(stack, 'Validate', { entry: ENTRY, bundling: { projectRoot: root } }))
      .toThrow(/`entry` is bundled with esbuild, which is not installed in .*aegis-no-esbuild-.*: run `npm install --save-dev esbuild`/);
  });

  test('fails with esbuild\'s own message when the entry does not compile', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-broken-'));
    const broken = path.join(dir, 'broken.ts');
    fs.writeFileSync(broken, 'export const handler = async () => { return 1 +; };\n');
    const stack = new Stack(newApp(), 'Orders');
    expect(() => new SecureFunction(stack, 'Broken', { entry: broken, bundling: { projectRoot: process.cwd() } }))
      .toThrow(/esbuild could not bundle `entry` .*broken\.ts: .*Unexpected ";"/s);
  });
});
