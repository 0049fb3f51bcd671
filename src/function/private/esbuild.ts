import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BundlingOptions, ILocalBundling } from 'aws-cdk-lib';
import { BundledPackage, packageOfFile, readPackageJson } from './sbom';
import { BundleFormat, EntryBundling } from '../bundling';

/** The lock files `NodejsFunction` recognizes, in the order it looks for them. @internal */
export const LOCK_FILES = ['pnpm-lock.yaml', 'yarn.lock', 'bun.lockb', 'bun.lock', 'package-lock.json'];

/** The extensions an `entry` may have. @internal */
export const ENTRY_EXTENSIONS = ['.ts', '.js', '.mjs', '.mts'];

/** esbuild flags the construct sets itself: `esbuildArgs` may not name them (the prop that sets each, if any). @internal */
export const RESERVED_FLAGS: Record<string, string | undefined> = {
  'bundle': undefined,
  'outfile': undefined,
  'outdir': undefined,
  'outbase': undefined,
  'platform': undefined,
  'metafile': undefined,
  'target': '`runtime`',
  'format': '`bundling.format`',
  'minify': '`bundling.minify`',
  'sourcemap': '`bundling.sourceMap`',
  'external': '`bundling.externalModules`',
  'define': '`bundling.define`',
  'loader': '`bundling.loader`',
  'banner': '`bundling.banner`',
  'main-fields': '`bundling.mainFields`',
  'tsconfig': '`bundling.tsconfig`',
  'watch': undefined,
  'serve': undefined,
  'write': undefined,
};

/** The nearest lock file in `start` or a directory above it. @internal */
export function findLockFile(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const found = LOCK_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (found || path.dirname(dir) === dir) {
      return found;
    }
  }
}

/** The esbuild executable installed for `projectRoot` (or the working directory), if any. @internal */
export function findEsbuild(projectRoot: string): string | undefined {
  try {
    const manifest = require.resolve('esbuild/package.json', { paths: [projectRoot] });
    const bin = path.join(path.dirname(manifest), 'bin', 'esbuild');
    return fs.existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/** What went into one bundle, for its SBOM. @internal */
export interface BundleContents {
  readonly packages: BundledPackage[];
  /** The packages the function's own code imports. */
  readonly direct: string[];
}

/** Everything that decides a bundle's output. @internal */
export interface BundleSpec {
  readonly entry: string;
  readonly esbuild: string;
  readonly projectRoot: string;
  readonly args: string[];
  readonly outFile: string;
  readonly nodeModules: string[];
}

/**
 * What each bundle held, by spec: aws-cdk-lib stages a bundled asset once per
 * process (its own asset cache), so a second function with the same entry and
 * options finds its packages here instead of bundling again.
 */
const CONTENTS = new Map<string, BundleContents>();

/** The contents of the bundle of `spec`, once it was bundled in this process. @internal */
export function bundleContents(spec: BundleSpec): BundleContents | undefined {
  return CONTENTS.get(JSON.stringify(spec));
}

/** The esbuild command line of an entry, as `NodejsFunction` builds it, with the secure defaults. @internal */
export function bundleSpec(entry: string, nodeMajor: number, options: EntryBundling, projectRoot: string, esbuild: string): BundleSpec {
  const format = options.format ?? BundleFormat.CJS;
  const outFile = format === BundleFormat.ESM ? 'index.mjs' : 'index.js';
  const nodeModules = options.nodeModules ?? [];
  const flag = (name: string, value: string | boolean) => (value === true ? `--${name}` : `--${name}=${value}`);
  const args = [
    '--bundle', '--platform=node', `--target=node${nodeMajor}`, `--format=${format}`, '--log-level=warning',
    ...(options.minify ?? true ? ['--minify'] : []),
    ...(options.sourceMap ?? true ? ['--sourcemap'] : []),
    ...[...(options.externalModules ?? ['@aws-sdk/*']), ...nodeModules].map((m) => `--external:${m}`),
    ...Object.entries(options.define ?? {}).map(([k, v]) => `--define:${k}=${v}`),
    ...Object.entries(options.loader ?? {}).map(([ext, loader]) => `--loader:${ext}=${loader}`),
    ...(options.banner !== undefined ? [`--banner:js=${options.banner}`] : []),
    ...(options.mainFields !== undefined ? [`--main-fields=${options.mainFields.join(',')}`] : []),
    ...(options.tsconfig !== undefined ? [`--tsconfig=${path.resolve(options.tsconfig)}`] : []),
    ...Object.entries(options.esbuildArgs ?? {}).map(([k, v]) => flag(k.replace(/^-+/, ''), v)),
  ];
  return { entry: path.resolve(entry), esbuild, projectRoot, args, outFile, nodeModules };
}

/**
 * aws-cdk-lib's local bundling hook: runs esbuild with a metafile, copies
 * `nodeModules` next to the bundle, and keeps what went in. It never falls
 * back to Docker: a failure is an error that names the entry.
 *
 * The spec is a field, so aws-cdk-lib's asset cache key (the bundling
 * options, serialized) tells bundles apart.
 *
 * @internal
 */
export class EsbuildLocalBundling implements ILocalBundling {
  constructor(public readonly spec: BundleSpec) {}

  public tryBundle(outputDir: string, _options: BundlingOptions): boolean {
    const metaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-aegis-esbuild-'));
    const metafile = path.join(metaDir, 'meta.json');
    try {
      const args = [this.spec.entry, ...this.spec.args, `--outfile=${path.join(outputDir, this.spec.outFile)}`, `--metafile=${metafile}`];
      // esbuild's install replaces bin/esbuild with the native binary except on Windows, where it stays a Node launcher.
      const [command, commandArgs] = process.platform === 'win32' ? [process.execPath, [this.spec.esbuild, ...args]] : [this.spec.esbuild, args];
      const result = spawnSync(command, commandArgs, {
        cwd: this.spec.projectRoot,
        encoding: 'utf8',
        windowsHide: true,
      });
      if (result.error || result.status !== 0) {
        throw new Error(
          `[cdk-aegis] esbuild could not bundle \`entry\` ${this.spec.entry}: ${(result.error?.message ?? result.stderr ?? '').trim() || `exit code ${result.status}`}`,
        );
      }
      if (result.stderr) {
        process.stderr.write(result.stderr);
      }
      const meta = JSON.parse(fs.readFileSync(metafile, 'utf8'));
      const installed = copyNodeModules(this.spec.nodeModules, this.spec.projectRoot, path.dirname(this.spec.entry), outputDir);
      CONTENTS.set(JSON.stringify(this.spec), contentsOf(meta, this.spec.projectRoot, installed, this.spec.nodeModules));
      return true;
    } finally {
      fs.rmSync(metaDir, { recursive: true, force: true });
    }
  }
}

/** The packages an esbuild metafile bundled, joined with their package.json, plus the installed `nodeModules`. */
function contentsOf(meta: any, workingDir: string, installed: BundledPackage[], nodeModules: string[]): BundleContents {
  const inputs: Record<string, { imports?: Array<{ path: string; external?: boolean }> }> = meta?.inputs ?? {};
  const byDir = new Map<string, { name: string; version: string; license?: string; dependsOn: Set<string> }>();
  const direct = new Set<string>();
  const packageAt = (file: string) => {
    const pkg = packageOfFile(path.resolve(workingDir, file));
    if (pkg === undefined) {
      return undefined;
    }
    if (!byDir.has(pkg.dir)) {
      const json = readPackageJson(pkg.dir);
      byDir.set(pkg.dir, { name: json?.name ?? pkg.name, version: json?.version ?? 'unknown', license: json?.license, dependsOn: new Set() });
    }
    return byDir.get(pkg.dir)!;
  };
  for (const [file, input] of Object.entries(inputs)) {
    const from = packageAt(file);
    for (const imported of input.imports ?? []) {
      const to = imported.external
        ? (nodeModules.find((m) => imported.path === m || imported.path.startsWith(`${m}/`)) ?? undefined)
        : packageAt(imported.path)?.name;
      if (to === undefined || to === from?.name) {
        continue;
      }
      if (from === undefined) {
        direct.add(to);
      } else {
        from.dependsOn.add(to);
      }
    }
  }
  const bundled = [...byDir.values()].map((p) => ({ name: p.name, version: p.version, license: p.license, dependsOn: [...p.dependsOn].sort() }));
  return { packages: [...bundled, ...installed], direct: [...direct].sort() };
}

/**
 * Copies each of `names` (as the entry resolves it) into
 * `<outputDir>/node_modules`, then what they depend on, each at the version
 * its dependent resolves (symlinked layouts such as pnpm's followed to the
 * real directories): at the top unless another version is there, else under
 * its dependent's own `node_modules`. A required dependency that is not
 * installed fails; a missing optional one (another platform's) is skipped.
 * Returns every package copied, for the SBOM.
 */
function copyNodeModules(names: string[], projectRoot: string, entryDir: string, outputDir: string): BundledPackage[] {
  const copied: BundledPackage[] = [];
  const pending: Array<{ dir: string; target: string }> = [];
  const copy = (dir: string, target: string): void => {
    const json = readPackageJson(dir);
    // Its own node_modules are copied as its dependencies are reached, at the versions it resolves.
    fs.cpSync(dir, target, { recursive: true, dereference: true, filter: (src) => !path.relative(dir, src).split(path.sep).includes('node_modules') });
    // Its installed optional dependencies are copied too (see below), so they are its dependencies in the SBOM as well.
    const installed = (json?.optionalDependencies ?? []).filter((d) => resolvePackageDir(d, dir, projectRoot) !== undefined);
    copied.push({
      name: json?.name ?? path.basename(dir),
      version: json?.version ?? 'unknown',
      license: json?.license,
      dependsOn: [...(json?.dependencies ?? []), ...installed].sort(),
    });
    pending.push({ dir, target });
  };
  // The listed packages first, at the top: the handler's own `require` gets these versions.
  for (const name of names) {
    const dir = resolvePackageDir(name, entryDir, projectRoot);
    if (dir === undefined) {
      throw new Error(`[cdk-aegis] \`bundling.nodeModules\` names ${name}, which is not installed for ${entryDir} (run npm install ${name}).`);
    }
    const target = path.join(outputDir, 'node_modules', name);
    if (!fs.existsSync(target)) {
      copy(dir, target);
    }
  }
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    const json = readPackageJson(next.dir);
    const dependencies = [
      ...(json?.dependencies ?? []).map((d) => ({ name: d, optional: false })),
      ...(json?.optionalDependencies ?? []).map((d) => ({ name: d, optional: true })),
    ];
    for (const dependency of dependencies) {
      const dir = resolvePackageDir(dependency.name, next.dir, projectRoot);
      if (dir === undefined) {
        if (dependency.optional) {
          continue; // another platform's build, not installed here
        }
        throw new Error(`[cdk-aegis] \`bundling.nodeModules\`: ${json?.name} needs ${dependency.name}, which is not installed (run npm install).`);
      }
      const version = readPackageJson(dir)?.version ?? 'unknown';
      // Where Node finds it from the dependent's place in the output: the nearest copy up the tree, as Node resolves it.
      const nearest = nearestInOutput(dependency.name, next.target, outputDir);
      if (nearest !== undefined && readPackageJson(nearest)?.version === version) {
        continue; // already reachable at this version (this also ends dependency cycles)
      }
      const target = nearest === undefined
        ? path.join(outputDir, 'node_modules', dependency.name)
        : path.join(next.target, 'node_modules', dependency.name);
      if (fs.existsSync(target)) {
        continue;
      }
      copy(dir, target);
    }
  }
  return copied;
}

/**
 * The copy of package `name` that Node would load from the package at
 * `from` inside the output: the nearest `node_modules/<name>` of `from` or a
 * directory above it, up to the output directory.
 */
function nearestInOutput(name: string, from: string, outputDir: string): string | undefined {
  for (let dir = from; dir.startsWith(outputDir); dir = path.dirname(dir)) {
    if (path.basename(dir) === 'node_modules') {
      continue;
    }
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) {
      return candidate;
    }
    if (dir === outputDir) {
      break;
    }
  }
  return undefined;
}

/**
 * The real directory of package `name` as Node resolves it from `from`
 * (walking up the `node_modules` folders of its real path, so pnpm's
 * symlinked layout resolves as Node resolves it), else in `projectRoot`.
 */
function resolvePackageDir(name: string, from: string, projectRoot: string): string | undefined {
  for (let dir = fs.realpathSync(path.resolve(from)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) {
      return fs.realpathSync(candidate);
    }
    if (path.dirname(dir) === dir) {
      const fallback = path.join(projectRoot, 'node_modules', name);
      return fs.existsSync(path.join(fallback, 'package.json')) ? fs.realpathSync(fallback) : undefined;
    }
  }
}
