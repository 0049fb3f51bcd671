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

