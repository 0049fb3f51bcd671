import * as fs from 'fs';
import * as path from 'path';
import { OPT_OUT_METADATA } from '../justification';

/**
 * Reading what `cdk synth` wrote: the stacks of a cloud assembly (nested
 * assemblies of Stages included) and the typed opt-outs in their metadata.
 * Shared by the compliance reports and the threat model.
 */

/** One stack of a cloud assembly, nested assemblies (Stages) included. @internal */
export interface AssemblyStack {
  /** The stack's construct path, e.g. `Pipeline/Prod/Orders`. */
  readonly path: string;
  /** The CloudFormation stack name (what `Fn::GetStackOutput` names). */
  readonly stackName: string;
  /** The template file, relative to the top assembly directory. */
  readonly templateFile: string;
  /** The parsed template (`{}` when the file is missing). */
  readonly template: { Resources?: Record<string, any>; Outputs?: Record<string, any> };
  /** The stack's metadata: construct path → entries. */
  readonly metadata: Record<string, unknown>;
  /** `aws://account/region`, with `unknown-account` / `unknown-region` for env-agnostic stacks. */
  readonly environment: string;
}

/**
 * Every stack of the cloud assembly in `dir`, walking into nested assemblies:
 * stacks inside a `Stage` are written to `assembly-<stage>/` with their own
 * manifest.
 *
 * @internal
 */
export function assemblyStacks(dir: string, subdir = ''): AssemblyStack[] {
  const manifestFile = path.join(dir, subdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    return [];
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const found: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    const properties = artifact.properties ?? {};
    if (artifact.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
      found.push(...assemblyStacks(dir, path.join(subdir, properties.directoryName)));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack' || typeof properties.templateFile !== 'string') {
      continue;
    }
    const templateFile = path.join(subdir, properties.templateFile);
    const template = path.join(dir, templateFile);
    found.push({
      path: artifact.displayName ?? id,
      stackName: typeof properties.stackName === 'string' ? properties.stackName : id,
      templateFile: templateFile.split(path.sep).join('/'),
      template: fs.existsSync(template) ? JSON.parse(fs.readFileSync(template, 'utf8')) : {},
      metadata: stackMetadata(path.join(dir, subdir), artifact),
      environment: typeof artifact.environment === 'string' ? artifact.environment : 'aws://unknown-account/unknown-region',
    });
  }
  return found;
}

/**
 * The nested stacks of `parent` (and theirs), read from the template files
 * the assembly holds for them: found by the `aws:asset:path` metadata the CDK
 * CLI writes, else by the asset hash in the `TemplateURL`. `readTree` gives
 * the parsed construct tree (default: read from `dir`), used only for a
 * nested stack whose template has no `aws:cdk:path`.
 *
 * @internal
 */
export function nestedStacks(dir: string, parent: AssemblyStack, readTree: () => any = () => readTreeFile(dir)): AssemblyStack[] {
  const base = path.dirname(path.join(dir, parent.templateFile));
  const found: AssemblyStack[] = [];
  for (const [logicalId, resource] of Object.entries<any>(parent.template.Resources ?? {})) {
    if (resource?.Type !== 'AWS::CloudFormation::Stack') {
      continue;
    }
    const file = resource.Metadata?.['aws:asset:path'] ?? assetFileOfUrl(base, resource.Properties?.TemplateURL);
    if (typeof file !== 'string' || !fs.existsSync(path.join(base, file))) {
      continue;
    }
    const cdkPath = resource.Metadata?.['aws:cdk:path'] ?? nestedStackResourcePath(readTree(), parent.path, logicalId);
    const nested: AssemblyStack = {
      // `Parent/Inner.NestedStack/Inner.NestedStackResource` → `Parent/Inner`, the construct path of the nested stack.
      path: typeof cdkPath === 'string' ? cdkPath.replace(/\.NestedStack\/.*$/, '') : `${parent.path}/${logicalId}`,
      stackName: `${parent.stackName}-${logicalId}`,
      templateFile: path.relative(dir, path.join(base, file)).split(path.sep).join('/'),
      template: JSON.parse(fs.readFileSync(path.join(base, file), 'utf8')),
      // The parent's metadata already holds the nested stack's constructs.
      metadata: {},
      environment: parent.environment,
    };
    found.push(nested, ...nestedStacks(dir, nested, readTree));
  }
  return found;
}

/** The construct path of a nested stack's resource, from the construct tree (for templates without `aws:cdk:path`). */
function nestedStackResourcePath(tree: any, parentPath: string, logicalId: string): string | undefined {
  if (tree === undefined) {
    return undefined;
  }
  let found: string | undefined;
  const visit = (node: any): void => {
    if (node?.attributes?.['aws:cdk:cloudformation:logicalId'] === logicalId && String(node.path).startsWith(`${parentPath}/`) && String(node.path).endsWith('.NestedStackResource')) {
      found = node.path;
    }
    for (const child of Object.values<any>(node?.children ?? {})) {
      visit(child);
    }
  };
  visit(tree);
  return found;
}

/** The construct tree of the assembly in `dir` (`tree.json`), or undefined when it has none. */
function readTreeFile(dir: string): any {
  const treeFile = path.join(dir, 'tree.json');
  return fs.existsSync(treeFile) ? JSON.parse(fs.readFileSync(treeFile, 'utf8')).tree : undefined;
}

/**
 * One reading of a cloud assembly directory: each file is parsed once, on
 * first use, however many reports read it. The compliance reports and the
 * threat model written after a synth share one (a fresh one per synth).
 *
 * @internal
 */
export class AssemblyReading {
  private top?: AssemblyStack[];
  private all?: AssemblyStack[];
  private tree?: { value: any };
  private paths?: Map<string, string>;

  constructor(public readonly dir: string) {}

  /** The stacks of the assembly and of its nested assemblies (Stages), without nested stacks. */
  public get stacks(): AssemblyStack[] {
    return (this.top ??= assemblyStacks(this.dir));
  }

  /** {@link stacks} and every nested stack under them. */
  public get stacksWithNested(): AssemblyStack[] {
    return (this.all ??= [...this.stacks, ...this.stacks.flatMap((stack) => nestedStacks(this.dir, stack, () => this.constructTree))]);
  }

  /** The construct tree (`tree.json`'s `tree`), or undefined when the assembly has none. */
  public get constructTree(): any {
    return (this.tree ??= { value: readTreeFile(this.dir) }).value;
  }

  /** `<stack path>::<logical id>` → construct path over {@link stacksWithNested} (see {@link constructPathsOf}). */
  public get constructPaths(): Map<string, string> {
    return (this.paths ??= constructPathsOf(this.dir, this.stacksWithNested, () => this.constructTree));
  }
}

/** The file an asset manifest in `base` gives for the asset hash a template URL ends with. */
function assetFileOfUrl(base: string, url: unknown): string | undefined {
  const hash = /([0-9a-f]{64})\.json/.exec(JSON.stringify(url ?? ''))?.[1];
  if (!hash) {
    return undefined;
  }
  for (const manifest of fs.readdirSync(base).filter((f) => f.endsWith('.assets.json'))) {
    const source = JSON.parse(fs.readFileSync(path.join(base, manifest), 'utf8')).files?.[hash]?.source?.path;
    if (typeof source === 'string') {
      return source;
    }
  }
  return undefined;
}

/** A stack's metadata: construct path → entries (in the manifest, or in the file it names). */
function stackMetadata(dir: string, artifact: any): Record<string, unknown> {
  const file = typeof artifact.additionalMetadataFile === 'string' ? path.join(dir, artifact.additionalMetadataFile) : undefined;
  return { ...(artifact.metadata ?? {}), ...(file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}) };
}

/** A control turned off with a reason. @internal */
export interface TypedOptOut {
  readonly constructPath: string;
  /** The prop that was turned off, e.g. `durationAlarm`. */
  readonly control: string;
  readonly reason: string;
  /** The rule-pack rules it acknowledged (none when no rule covers it). */
  readonly rules: string[];
}

/** Every typed opt-out in a stack's metadata, sorted by construct path and control. @internal */
export function typedOptOuts(metadata: Record<string, unknown>): TypedOptOut[] {
  const found: TypedOptOut[] = [];
  for (const [constructPath, entries] of Object.entries<any>(metadata)) {
    for (const entry of Array.isArray(entries) ? entries : []) {
      const data = entry?.type === OPT_OUT_METADATA ? entry.data : undefined;
      if (data && typeof data.control === 'string' && typeof data.reason === 'string' && Array.isArray(data.rules)) {
        found.push({ constructPath: constructPath.replace(/^\//, ''), control: data.control, reason: data.reason, rules: data.rules.map(String) });
      }
    }
  }
  return found.sort((a, b) => a.constructPath.localeCompare(b.constructPath) || a.control.localeCompare(b.control));
}

/**
 * `<stack path>::<logical id>` → construct path, from the construct tree
 * (`tree.json`): apps synthesized without the CDK CLI have no `aws:cdk:path`
 * metadata in their templates. `readTree` gives the parsed tree (default:
 * read from `assemblyDir`), called only when a path is missing.
 *
 * @internal
 */
export function constructPathsOf(
  assemblyDir: string,
  stacks: AssemblyStack[],
  readTree: () => any = () => readTreeFile(assemblyDir),
): Map<string, string> {
  const found = new Map<string, string>();
  // Templates the CDK CLI writes carry every construct path already: read the tree only when one is missing.
  const complete = stacks.every((s) => Object.values<any>(s.template.Resources ?? {}).every((r) => typeof r?.Metadata?.['aws:cdk:path'] === 'string'));
  const tree = complete ? undefined : readTree();
  if (tree === undefined) {
    return found;
  }
  const stackPaths = stacks.map((s) => s.path).sort((a, b) => b.length - a.length);
  const visit = (node: any): void => {
    const logicalId = node?.attributes?.['aws:cdk:cloudformation:logicalId'];
    if (typeof logicalId === 'string' && typeof node.path === 'string') {
      const stack = stackPaths.find((s) => node.path.startsWith(`${s}/`));
      if (stack !== undefined) {
        found.set(`${stack}::${logicalId}`, node.path);
      }
    }
    for (const child of Object.values<any>(node?.children ?? {})) {
      visit(child);
    }
  };
  visit(tree);
  return found;
}

