import * as fs from 'fs';
import * as path from 'path';
import { AssetHashType, DockerImage, Stack, Stage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { bundleContents, bundleSpec, BundleSpec, ENTRY_EXTENSIONS, EsbuildLocalBundling, findEsbuild, findLockFile, RESERVED_FLAGS } from './esbuild';
import { cycloneDx, packagesOfLockFile, writeSbom } from './sbom';
import { ProblemCollector, received } from '../../core/errors';
import {
  requireEnumValue, requireInstanceOf, requireNonEmptyString, requireOptionalBoolean, requireOptionalNonEmptyString,
  requireOptionalString, requireOptionalStringArray, requireOptionalStringMap, requireStruct,
} from '../../core/private/input-checks';
import { sbomFileName } from '../../core/private/sbom-file';
import { BundleFormat, EntryBundling } from '../bundling';

/** Where a function's code comes from: what `lambda.Function` takes, and how its SBOM is written. @internal */
export interface FunctionSource {
  readonly code: lambda.Code;
  readonly handler: string;
  /** The app's environment with what the source needs: `--enable-source-maps` in `NODE_OPTIONS` (a value the app set is extended). */
  environmentWith(given: Record<string, string> | undefined): Record<string, string> | undefined;
  /** Writes the function's SBOM into the cloud assembly, when its contents are known. */
  writeSbom(fn: IConstruct): void;
}

/** The props of the function's source, as untyped callers may pass them. @internal */
export interface SourceProps {
  readonly code?: unknown;
  readonly entry?: unknown;
  readonly handler?: unknown;
  readonly bundling?: unknown;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** An npm package name (legacy names may have capitals). */
const NPM_NAME = /^(@[A-Za-z0-9-~][A-Za-z0-9-._~]*\/)?[A-Za-z0-9-~][A-Za-z0-9-._~]*$/;

/** Checks `code` / `entry` / `handler` / `bundling`: exactly one of `code` and `entry`, each with what it needs. @internal */
export function checkSource(problems: ProblemCollector, p: SourceProps): void {
  if ((p.code === undefined) === (p.entry === undefined)) {
    problems.add(p.code === undefined
      ? "pass `code` (a prebuilt asset, e.g. `lambda.Code.fromAsset('dist/orders')`) or `entry` (a TypeScript or JavaScript file esbuild bundles), got neither."
      : 'pass either `code` or `entry`, not both: `entry` is bundled into the function\'s code.');
  }
  if (p.code !== undefined) {
    requireInstanceOf(problems, 'code', p.code, lambda.Code, "a lambda.Code, e.g. `lambda.Code.fromAsset('dist/orders')` (Python: `lambda_.Code.from_asset(...)`)", true);
    requireNonEmptyString(problems, 'handler', p.handler, 'index.handler');
    problems.require(p.bundling === undefined, '`bundling` applies to `entry` only; a prebuilt `code` asset is deployed as it is.');
    return;
  }
  if (p.entry === undefined || !requireNonEmptyString(problems, 'entry', p.entry, "path.join(__dirname, 'handlers/orders.ts')")) {
    return;
  }
  const entry = p.entry as string;
  if (!ENTRY_EXTENSIONS.includes(path.extname(entry))) {
    problems.add(`\`entry\` must be a ${ENTRY_EXTENSIONS.join(', ')} file, got: ${received(entry)}.`);
  } else if (!fs.existsSync(entry) || !fs.statSync(entry).isFile()) {
    problems.add(`\`entry\` must be an existing file, got: ${received(entry)} (resolved to ${path.resolve(entry)}).`);
  }
  if (requireOptionalNonEmptyString(problems, 'handler', p.handler, 'handler') && typeof p.handler === 'string' && !IDENTIFIER.test(p.handler)) {
    problems.add(`\`handler\` names the exported function of \`entry\` (e.g. \`handler\`), got: ${received(p.handler)}; the file is given by \`entry\`.`);
  }
  checkBundling(problems, p.bundling);
}

function checkBundling(problems: ProblemCollector, value: unknown): void {
  if (!requireStruct(problems, 'bundling', value, "{ nodeModules: ['sharp'], externalModules: ['@aws-sdk/*'] }") || value === undefined) {
    return;
  }
  const b = value as Record<keyof EntryBundling, unknown>;
  requireOptionalStringArray(problems, 'bundling.externalModules', b.externalModules, "['@aws-sdk/*']");
  if (requireOptionalStringArray(problems, 'bundling.nodeModules', b.nodeModules, "['sharp']") && Array.isArray(b.nodeModules)) {
    for (const name of b.nodeModules.filter((n) => !NPM_NAME.test(n))) {
      problems.add(`\`bundling.nodeModules\` takes package names (\`sharp\`, \`@scope/name\`; the version is the one installed), got: ${received(name)}.`);
    }
  }
  requireOptionalStringMap(problems, 'bundling.define', b.define, "{ 'process.env.STAGE': JSON.stringify('prod') }");
  requireOptionalStringMap(problems, 'bundling.loader', b.loader, "{ '.png': 'dataurl' }");
  requireOptionalString(problems, 'bundling.banner', b.banner);
  requireEnumValue(problems, 'bundling.format', b.format, BundleFormat, 'BundleFormat');
  requireOptionalStringArray(problems, 'bundling.mainFields', b.mainFields, "['module', 'main']");
  requireOptionalBoolean(problems, 'bundling.minify', b.minify);
  requireOptionalBoolean(problems, 'bundling.sourceMap', b.sourceMap);
  for (const [prop, file] of [['tsconfig', b.tsconfig], ['depsLockFilePath', b.depsLockFilePath]] as const) {
    if (requireOptionalNonEmptyString(problems, `bundling.${prop}`, file) && typeof file === 'string' && !(fs.existsSync(file) && fs.statSync(file).isFile())) {
      problems.add(`\`bundling.${prop}\` must be an existing file, got: ${received(file)}.`);
    }
  }
  if (requireOptionalNonEmptyString(problems, 'bundling.projectRoot', b.projectRoot) && typeof b.projectRoot === 'string'
    && !(fs.existsSync(b.projectRoot) && fs.statSync(b.projectRoot).isDirectory())) {
    problems.add(`\`bundling.projectRoot\` must be an existing directory, got: ${received(b.projectRoot)}.`);
  }
  if (b.esbuildArgs !== undefined) {
    if (b.esbuildArgs === null || typeof b.esbuildArgs !== 'object' || Array.isArray(b.esbuildArgs)) {
      problems.add(`\`bundling.esbuildArgs\` must be a map of esbuild flags, e.g. \`{ 'log-limit': '0' }\`, got: ${received(b.esbuildArgs)}.`);
      return;
    }
    for (const [flag, v] of Object.entries(b.esbuildArgs)) {
      const name = flag.replace(/^-+/, '').split(':')[0];
      if (typeof v !== 'string' && typeof v !== 'boolean') {
        problems.add(`\`bundling.esbuildArgs['${flag}']\` must be a string or a boolean, got: ${received(v)}.`);
      } else if (name in RESERVED_FLAGS) {
        const instead = RESERVED_FLAGS[name];
        problems.add(`\`bundling.esbuildArgs\` cannot set \`--${name}\`: ${instead ? `use ${instead}` : 'SecureFunction sets it to bundle the entry'}.`);
      }
    }
  }
}

/**
 * The source of a function: a prebuilt `code` asset as given, or the
 * bundle of `entry` (esbuild, run locally while the asset is staged). Reads
 * the props `checkSource` accepted; fails (naming the prop) when esbuild or
 * the project cannot be found.
 *
 * @internal
 */
export function functionSource(scope: IConstruct, id: string, props: SourceProps, runtime: lambda.Runtime): FunctionSource {
  if (props.code !== undefined) {
    const code = props.code as lambda.Code;
    return { code, handler: props.handler as string, environmentWith: (given) => given, writeSbom: (fn) => writeLockFileSbom(fn, code) };
  }
  const problems = new ProblemCollector(scope, id);
  const options = (props.bundling ?? {}) as EntryBundling;
  const entry = path.resolve(props.entry as string);
  const major = /^nodejs(\d+)\.x$/.exec(runtime.name)?.[1];
  problems.require(major !== undefined, `\`entry\` is bundled for Node.js: \`runtime\` must be a Node.js runtime, got: ${received(runtime.name)}.`);
  const lockFile = options.depsLockFilePath !== undefined ? path.resolve(options.depsLockFilePath) : findLockFile(process.cwd());
  const projectRoot = options.projectRoot !== undefined ? path.resolve(options.projectRoot)
    : lockFile !== undefined ? path.dirname(lockFile) : undefined;
  if (projectRoot === undefined) {
    problems.add(`no lock file (${'package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lockb'}) in ${process.cwd()} or above it: ` +
      'pass `bundling.depsLockFilePath` or `bundling.projectRoot`, as for NodejsFunction.');
  }
  const esbuild = projectRoot === undefined ? undefined : findEsbuild(projectRoot);
  if (projectRoot !== undefined && esbuild === undefined) {
    problems.add(`\`entry\` is bundled with esbuild, which is not installed in ${projectRoot}: run \`npm install --save-dev esbuild\` ` +
      '(as for NodejsFunction; cdk-aegis bundles locally, without Docker).');
  }
  problems.throwIfAny();
  const spec = bundleSpec(entry, Number(major), options, projectRoot!, esbuild!);
  const code = lambda.Code.fromAsset(projectRoot!, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: the local bundling always runs (or fails with its reason).
      image: DockerImage.fromRegistry('cdk-aegis-bundles-locally-with-esbuild'),
      local: new EsbuildLocalBundling(spec),
    },
  });
  const base = spec.outFile.replace(/\.m?js$/, '');
  return {
    code,
    handler: `${base}.${(props.handler as string | undefined) ?? 'handler'}`,
    environmentWith: (given) => (options.sourceMap ?? true ? withNodeOption(given, '--enable-source-maps') : given),
    writeSbom: (fn) => writeBundleSbom(fn, spec),
  };
}

/** The SBOM of a bundled function, from what its bundle held (nothing when the stack's assets were not bundled in this synth). */
function writeBundleSbom(fn: IConstruct, spec: BundleSpec): void {
  const contents = bundleContents(spec);
  write(fn, contents === undefined ? undefined : { source: 'esbuild metafile', packages: contents.packages, direct: contents.direct });
}

/** The SBOM of a prebuilt asset directory that has a package-lock.json. */
function writeLockFileSbom(fn: IConstruct, code: lambda.Code): void {
  if (code instanceof lambda.InlineCode) {
    return; // the ledger and the threat model read inline code from the template, before any file
  }
  const dir = code instanceof lambda.AssetCode ? code.path : undefined;
  const locked = dir === undefined ? undefined : packagesOfLockFile(path.join(dir, 'package-lock.json'));
  write(fn, locked === undefined ? undefined : { source: 'package-lock.json of the asset', packages: locked.packages, direct: locked.direct });
}

/**
 * Writes the function's SBOM, or, when its contents are not known in this
 * synth, removes one an earlier synth left (cdk.out is not emptied between
 * synths): a stale file would tell the ledger and the threat model the
 * contents are known.
 */
function write(fn: IConstruct, contents: { source: string; packages: any[]; direct: string[] } | undefined): void {
  const stack = Stack.of(fn);
  const root = fn.node.root;
  if (!Stage.isStage(root)) {
    return; // no cloud assembly to write into
  }
  // The app's cloud assembly (a Stage's nested assembly lives inside it): where the threat model and the ledger look.
  const file = sbomFileName(stack.node.path, fn.node.path.slice(stack.node.path.length + 1));
  if (contents === undefined) {
    fs.rmSync(path.join(root.outdir, file), { force: true });
  } else {
    writeSbom(root.outdir, file, cycloneDx({ functionPath: fn.node.path, ...contents }));
  }
}

/** `environment` with `option` in `NODE_OPTIONS`, after what the app put there. */
function withNodeOption(environment: Record<string, string> | undefined, option: string): Record<string, string> {
  const given = environment?.NODE_OPTIONS;
  return { ...environment, NODE_OPTIONS: given === undefined ? option : given.split(/\s+/).includes(option) ? given : `${given} ${option}` };
}
