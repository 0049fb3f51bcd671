import * as fs from 'fs';
import * as path from 'path';
import { AssemblyReading, typedOptOuts } from '../../core/private/cloud-assembly';

/** Where a construct's resource lives in the cloud assembly. @internal */
export interface ResourceLocation {
  /** The template file, relative to the assembly directory. */
  readonly templateFile: string;
  /** The resource's logical id in that template. */
  readonly logicalId: string;
}

/** One finding or acknowledgement of the CDK validation report. @internal */
export interface ReportEntry {
  readonly plugin: string;
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly constructPaths: string[];
  readonly acknowledgedId?: string;
  readonly reason?: string;
}

/** A control turned off with a reason that no rule-pack rule covers (so it has no acknowledgement). @internal */
export interface RulelessOptOut {
  readonly constructPath: string;
  /** The prop that was turned off, e.g. `durationAlarm`. */
  readonly control: string;
  readonly reason: string;
}

/** A warning cdk-aegis left on a construct that no one has acknowledged (e.g. no fallback channel for the alarm topic). @internal */
export interface OpenWarning {
  readonly constructPath: string;
  /** The warning's id, e.g. `@cdk-aegis/alarm-fallback-missing`. */
  readonly id: string;
  readonly message: string;
}

/** What `cdk synth` left in a cloud assembly directory. @internal */
export interface AssemblyFacts {
  /** Plugins that reported, in order. */
  readonly plugins: string[];
  readonly findings: ReportEntry[];
  readonly acknowledgements: ReportEntry[];
  /** Construct path → template location, from the construct tree (`tree.json`). */
  readonly locations: Map<string, ResourceLocation>;
  /** CloudFormation resources across the assembly's templates. */
  readonly resourceCount: number;
  /** Typed opt-outs of controls no rule covers, from the stacks' metadata. */
  readonly optOuts: RulelessOptOut[];
  /** cdk-aegis warnings still standing (not acknowledged), other than typed opt-outs, from the stacks' metadata. */
  readonly openWarnings: OpenWarning[];
}

/**
 * Reads `validation-report.json`, `manifest.json`, `tree.json` and the
 * templates of the cloud assembly in `dir`. A missing validation report means nothing was
 * reported.
 *
 * @internal
 */
export function readAssembly(dir: string, reading: AssemblyReading = new AssemblyReading(dir)): AssemblyFacts {
  const reportFile = path.join(dir, 'validation-report.json');
  const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
  const plugins: string[] = [];
  const findings: ReportEntry[] = [];
  const acknowledgements: ReportEntry[] = [];
  for (const plugin of report.pluginReports ?? []) {
    plugins.push(plugin.pluginName);
    const entry = (v: any): ReportEntry => ({
      plugin: plugin.pluginName,
      ruleName: v.ruleName,
      description: v.description ?? '',
      severity: v.severity ?? 'error',
      constructPaths: (v.violatingConstructs ?? v.violatingResources ?? []).map((c: any) => String(c.constructPath)),
      acknowledgedId: v.acknowledgedId,
      reason: v.reason,
    });
    findings.push(...(plugin.violations ?? []).map(entry));
    acknowledgements.push(...(plugin.suppressedViolations ?? []).map(entry));
  }

  const locations = new Map<string, ResourceLocation>();
  let resourceCount = 0;
  // Stack construct path → its template.
  const stacks = new Map<string, string>();
  const optOuts: RulelessOptOut[] = [];
  const openWarnings: OpenWarning[] = [];
  for (const stack of reading.stacksWithNested) {
    optOuts.push(...rulelessOptOuts(stack.metadata));
    openWarnings.push(...libraryWarnings(stack.metadata));
    stacks.set(stack.path, stack.templateFile);
    resourceCount += Object.keys(stack.template.Resources ?? {}).length;
  }
  // Each L1 in the construct tree records its logical id; its stack is the longest stack path above it.
  const visit = (node: any): void => {
    const logicalId = node?.attributes?.['aws:cdk:cloudformation:logicalId'];
    if (typeof logicalId === 'string' && typeof node.path === 'string') {
      const stack = [...stacks.keys()].filter((s) => node.path.startsWith(`${s}/`)).sort((a, b) => b.length - a.length)[0];
      if (stack !== undefined) {
        locations.set(node.path, { templateFile: stacks.get(stack)!, logicalId });
      }
    }
    for (const child of Object.values<any>(node?.children ?? {})) {
      visit(child);
    }
  };
  const tree = reading.constructTree;
  if (tree !== undefined) {
    visit(tree);
  }
  const byPathAndId = (a: OpenWarning, b: OpenWarning) => a.constructPath.localeCompare(b.constructPath) || a.id.localeCompare(b.id);
  return { plugins, findings, acknowledgements, locations, resourceCount, optOuts, openWarnings: openWarnings.sort(byPathAndId) };
}

/** A warning's text ends with `[ack: <id>]` (aws-cdk-lib's addWarningV2); opt-outs are listed on their own. */
const LIBRARY_WARNING = /^(.*) \[ack: (@cdk-aegis\/[^\]]+)\]$/s;

/** The cdk-aegis warnings in a stack's metadata (acknowledged warnings are no longer there). */
function libraryWarnings(metadata: Record<string, unknown>): OpenWarning[] {
  const found: OpenWarning[] = [];
  for (const [constructPath, entries] of Object.entries<any>(metadata)) {
    for (const entry of Array.isArray(entries) ? entries : []) {
      const match = entry?.type === 'aws:cdk:warning' && typeof entry.data === 'string' ? LIBRARY_WARNING.exec(entry.data) : null;
      if (match && !match[2].startsWith('@cdk-aegis/opt-out:')) {
        found.push({ constructPath: constructPath.replace(/^\//, ''), id: match[2], message: match[1] });
      }
    }
  }
  return found;
}

/** The opt-outs that acknowledged no rule, from a stack's metadata. */
function rulelessOptOuts(metadata: Record<string, unknown>): RulelessOptOut[] {
  return typedOptOuts(metadata)
    .filter((o) => o.rules.length === 0)
    .map(({ constructPath, control, reason }) => ({ constructPath, control, reason }));
}
