import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** An npm package whose code is in a function's bundle. @internal */
export interface BundledPackage {
  readonly name: string;
  readonly version: string;
  /** The SPDX license expression (or name) its package.json states. */
  readonly license?: string;
  /** The names of the bundled packages it imports. */
  readonly dependsOn: string[];
}

/** The CycloneDX version cdk-aegis writes. @internal */
export const CYCLONEDX_SPEC_VERSION = '1.6';

/** `pkg:npm/%40scope/name@1.2.3` (the scope's `@` percent-encoded, as the purl spec requires). @internal */
export function npmPurl(name: string, version: string): string {
  return `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${encodeURIComponent(version)}`;
}

/**
 * The package a bundled file belongs to: the path after its last
 * `node_modules/` (`@scope/name` or `name`), and the package's directory.
 */
export function packageOfFile(file: string): { name: string; dir: string } | undefined {
  const normalized = file.split(path.sep).join('/');
  const at = normalized.lastIndexOf('node_modules/');
  if (at < 0) {
    return undefined;
  }
  const rest = normalized.slice(at + 'node_modules/'.length).split('/');
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  return { name, dir: normalized.slice(0, at + 'node_modules/'.length) + name };
}

/** The name, version and license a package directory's package.json states, or undefined when it has none. */
export function readPackageJson(dir: string): {
  name: string; version: string; license?: string; dependencies: string[]; optionalDependencies: string[];
} | undefined {
  let json: any;
  try {
    json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof json?.name !== 'string' || typeof json?.version !== 'string') {
    return undefined;
  }
  return {
    name: json.name,
    version: json.version,
    license: licenseOf(json),
    dependencies: Object.keys(json.dependencies ?? {}).filter((d) => !(d in (json.optionalDependencies ?? {}))),
    optionalDependencies: Object.keys(json.optionalDependencies ?? {}),
  };
}

function licenseOf(json: any): string | undefined {
  if (typeof json.license === 'string' && json.license.length > 0) {
    return json.license;
  }
  if (typeof json.license?.type === 'string') {
    return json.license.type;
  }
  // The old form: `licenses: [{ type: 'MIT' }, ...]`.
  const types = Array.isArray(json.licenses) ? json.licenses.map((l: any) => l?.type).filter((t: unknown) => typeof t === 'string') : [];
  return types.length > 0 ? types.join(' OR ') : undefined;
}

/**
 * The packages of a package-lock.json (lockfileVersion 2 or 3): every
 * installed package that is not a dev dependency, and the root's own
 * dependencies. Undefined when the file is missing or is not such a lock file.
 */
export function packagesOfLockFile(lockFile: string): { packages: BundledPackage[]; direct: string[] } | undefined {
  let json: any;
  try {
    json = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
  } catch {
    return undefined;
  }
  const entries = json?.packages;
  if (entries === null || typeof entries !== 'object') {
    return undefined;
  }
  const found = new Map<string, BundledPackage>();
  for (const [where, entry] of Object.entries<any>(entries)) {
    const pkg = packageOfFile(where);
    if (pkg === undefined || entry?.dev === true || entry?.link === true || typeof entry?.version !== 'string') {
      continue;
    }
    const name = typeof entry.name === 'string' ? entry.name : pkg.name;
    const dependsOn = Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }).sort();
    found.set(`${name}@${entry.version}`, { name, version: entry.version, license: typeof entry.license === 'string' ? entry.license : undefined, dependsOn });
  }
  const root = entries[''] ?? {};
  return { packages: [...found.values()], direct: Object.keys({ ...root.dependencies, ...root.optionalDependencies }).sort() };
}

/** An SPDX license expression (`MIT`, `(MIT OR Apache-2.0)`, `GPL-2.0-only WITH Classpath-exception-2.0`). */
const SPDX_EXPRESSION = /^\(?[A-Za-z0-9.+-]+\)?( (AND|OR|WITH) \(?[A-Za-z0-9.+-]+\)?)*$/;

/** A license as CycloneDX takes it: an SPDX expression, or a name (`SEE LICENSE IN LICENSE.md`, `UNLICENSED`). */
function licenseEntry(license: string): Record<string, unknown> {
  return SPDX_EXPRESSION.test(license) && license !== 'UNLICENSED' ? { expression: license } : { license: { name: license } };
}

/** What a CycloneDX document describes: the function (its construct path) and what went into it. @internal */
export interface SbomSubject {
  /** The function's construct path, e.g. `Orders/Api/Handler`. */
  readonly functionPath: string;
  /** Where the packages came from, said in the SBOM's metadata (e.g. `esbuild metafile`). */
  readonly source: string;
  readonly packages: readonly BundledPackage[];
  /** The names of the packages the function's own code imports (the root's dependencies). */
  readonly direct: readonly string[];
}

/**
 * A CycloneDX JSON document (spec 1.6) for one function: the function is
 * `metadata.component`, each package a `library` component with its purl and
 * license, and `dependencies` say who imports whom. The serial number is
 * derived from the content, so the same bundle gives the same file.
 */
export function cycloneDx(subject: SbomSubject): Record<string, unknown> {
  // A package both bundled and installed (or reached twice) is one component: its dependencies are the union.
  const merged = new Map<string, BundledPackage>();
  for (const p of subject.packages) {
    const key = `${p.name}@${p.version}`;
    const seen = merged.get(key);
    merged.set(key, seen === undefined ? p
      : { ...seen, license: seen.license ?? p.license, dependsOn: [...new Set([...seen.dependsOn, ...p.dependsOn])].sort() });
  }
  const packages = [...merged.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const refOf = new Map<string, string>();
  for (const p of packages) {
    // One version per name resolves an import by name; with several, the first (sorted) stands for the name.
    if (!refOf.has(p.name)) {
      refOf.set(p.name, npmPurl(p.name, p.version));
    }
  }
  const rootRef = `function:${subject.functionPath}`;
  const components = packages.map((p) => ({
    'type': 'library',
    'bom-ref': npmPurl(p.name, p.version),
    'name': p.name,
    'version': p.version,
    'purl': npmPurl(p.name, p.version),
    ...(p.license ? { licenses: [licenseEntry(p.license)] } : {}),
  }));
  const refsOf = (names: readonly string[]) => [...new Set(names.map((n) => refOf.get(n)).filter((r): r is string => r !== undefined))].sort();
  const dependencies = [
    { ref: rootRef, dependsOn: refsOf(subject.direct) },
    ...packages.map((p) => ({ ref: npmPurl(p.name, p.version), dependsOn: refsOf(p.dependsOn).filter((r) => r !== npmPurl(p.name, p.version)) })),
  ];
  // Unique refs only (the schema requires it): a name bundled twice at one version is one component.
  const unique = <T extends { 'bom-ref'?: string; 'ref'?: string }>(list: T[]) =>
    list.filter((c, i) => list.findIndex((d) => (d['bom-ref'] ?? d.ref) === (c['bom-ref'] ?? c.ref)) === i);
  const body = {
    metadata: {
      tools: { components: [{ type: 'application', name: 'cdk-aegis', description: `SBOM of a bundled Lambda function (${subject.source})` }] },
      component: { 'type': 'application', 'bom-ref': rootRef, 'name': subject.functionPath, 'description': 'AWS Lambda function' },
    },
    components: unique(components),
    dependencies: unique(dependencies),
  };
  // A name-based (version 5 style) UUID from the content: the same bundle gives the same serial number.
  const hex = crypto.createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const variant = '89ab'[parseInt(hex[16], 16) % 4];
  return {
    bomFormat: 'CycloneDX',
    specVersion: CYCLONEDX_SPEC_VERSION,
    serialNumber: `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
    version: 1,
    ...body,
  };
}

/** Writes `document` to `<assemblyDir>/<file>`. @internal */
export function writeSbom(assemblyDir: string, file: string, document: Record<string, unknown>): void {
  const target = path.join(assemblyDir, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${JSON.stringify(document, undefined, 2)}\n`);
}
