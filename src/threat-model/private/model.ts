import { createHash } from 'crypto';
import { Boundary, Element, ElementKind, Flow, FlowGraph } from './graph';
import { CheckContext, Evidence, Grammar, MitigationSpec, STRIDE_D_NAMES, StrideD, THREATS, Target, ThreatSpec, accountId, mitigationsFor } from './threats';
import { AssemblyStack, constructPathsOf, TypedOptOut, typedOptOuts } from '../../core/private/cloud-assembly';

/** One mitigation of the model, on one element or flow. @internal */
export interface ModelMitigation {
  readonly id: string;
  readonly spec: MitigationSpec;
  readonly targetName: string;
  readonly evidence: Evidence;
}

/** One threat of the model, on one element or flow. @internal */
export interface ModelThreat {
  readonly id: string;
  readonly spec: ThreatSpec;
  readonly target: Target;
  /** `CreateOrder (function)` or `Uploads → Processor`. */
  readonly targetName: string;
  /** The construct path (or both ends of a flow), for `custom:` metadata. */
  readonly where: string;
  readonly grammar: Grammar;
  readonly assets: string[];
  readonly statement: string;
  readonly mitigations: ModelMitigation[];
  readonly resolved: boolean;
  /** Typed opt-outs recorded on the element, with their reasons. */
  readonly comments: string[];
}

/** The whole model of an assembly. @internal */
export interface ThreatModelData {
  readonly graph: FlowGraph;
  readonly threats: ModelThreat[];
  readonly mitigations: ModelMitigation[];
  readonly optOuts: TypedOptOut[];
}

/** UUIDv5 namespace of cdk-aegis threat models (a random UUID, fixed forever: ids are derived from it). */
const NAMESPACE = '6f1c8a52-4d3e-5b7a-9c0d-2e8f4a6b1c3d';

const NAMESPACE_BYTES = Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex');

/** RFC 4122 version-5 UUID of `name` in the cdk-aegis namespace: the same input gives the same id on every synth. @internal */
export function uuidV5(name: string): string {
  const hex = createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest('hex');
  // RFC 4122 §4.3: the version (5) in the high nibble of octet 6, the variant (10xx) in the high bits of octet 8.
  // (On the hex digits: no Buffer work, a third of the cost for the thousands of ids of a large app.)
  // eslint-disable-next-line no-bitwise
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const STRIDE_ORDER = new Map(STRIDE_D_NAMES.map(([letter], i) => [letter, i]));

/**
 * Builds the threat model of the stacks of an assembly: the flow graph, one
 * threat per catalogue entry that applies to each element and flow, and
 * their mitigations evaluated from the templates.
 *
 * @internal
 */
export function buildThreatModel(stacks: AssemblyStack[], assemblyDir: string, constructPaths?: Map<string, string>): ThreatModelData {
  const graph = new FlowGraph(stacks, constructPaths ?? constructPathsOf(assemblyDir, stacks));
  for (const environment of new Set(stacks.map((s) => s.environment))) {
    graph.external(accountId(environment).slice('ext:'.length), {
      kind: ElementKind.ACCOUNT,
      boundary: Boundary.ACCOUNT,
      noun: 'account',
      label: `AWS account ${environment.replace(/^aws:\/\//, '')}`,
    });
  }
  const optOuts = stacks.flatMap((s) => typedOptOuts(s.metadata));
  const comments = optOutsByElement(graph, optOuts);
  const mitigations = new Map<string, ModelMitigation>();
  const threats: ModelThreat[] = [];
  const targets: Target[] = [
    ...[...graph.elements.values()].map((element) => ({ element })),
    ...[...graph.flows.values()].map((flow) => ({ flow })),
  ];
  for (const target of targets) {
    const where = whereOf(target);
    const targetName = nameOf(target);
    // A flow's delivery opt-out (a function without its dead-letter queue) is recorded on the element it delivers to.
    const recorded = comments.get(target.element?.id ?? target.flow!.to.id) ?? [];
    for (const spec of THREATS.filter((t) => t.applies(target, graph))) {
      const linked = mitigationsFor(spec, target).map((m) => {
        const name = `${where}#mitigation:${m.key}`;
        let mitigation = mitigations.get(name);
        if (!mitigation) {
          mitigation = { id: uuidV5(name), spec: m, targetName, evidence: evaluate(m, target, { graph, assemblyDir }) };
          mitigations.set(name, mitigation);
        }
        return mitigation;
      });
      const grammar = spec.grammar(target);
      const assets = assetsOf(target);
      const resolved = linked.every((m) => m.evidence.resolved);
      threats.push({
        id: uuidV5(`${where}#threat:${spec.key}`),
        spec,
        target,
        targetName,
        where,
        grammar,
        assets,
        statement: clip(`${/^[aeiou]/i.test(grammar.source) ? 'An' : 'A'} ${grammar.source} ${grammar.prerequisites} can ${grammar.action}, which leads to ${grammar.impact}, resulting in reduced ${grammar.goals.join(' and ')} of ${assets.join(', ')}`, 1400),
        mitigations: linked,
        resolved,
        comments: resolved ? [] : recorded.filter((c) => c.threats.includes(spec.key)).map((c) => c.text),
      });
    }
  }
  threats.sort((a, b) => Number(a.resolved) - Number(b.resolved)
    || STRIDE_ORDER.get(a.spec.stride)! - STRIDE_ORDER.get(b.spec.stride)!
    || a.where.localeCompare(b.where) || a.spec.key.localeCompare(b.spec.key));
  return { graph, threats, mitigations: [...mitigations.values()], optOuts };
}

function whereOf(target: Target): string {
  const at = (e: Element) => e.constructPath ?? e.id;
  return target.element ? at(target.element) : `${at(target.flow!.from)} -> ${at(target.flow!.to)}`;
}

function nameOf(target: Target): string {
  return target.element ? `${target.element.label} (${target.element.noun})` : `${target.flow!.from.label} → ${target.flow!.to.label}`;
}

function assetsOf(target: Target): string[] {
  const e = target.element;
  if (e) {
    return [`${e.label} ${e.noun}`];
  }
  const flow = target.flow as Flow;
  return [`events from ${flow.from.label} to ${flow.to.label}`];
}

/**
 * A check's evidence; a template shape no check expected (an intrinsic where a
 * list should be) reads as not proven, never as a crash or a pass.
 */
function evaluate(m: MitigationSpec, target: Target, context: CheckContext): Evidence {
  try {
    return m.check(target, context);
  } catch (e) {
    return { resolved: false, text: `not proven: cdk-aegis could not read the template here (${(e as Error).message}); check it by hand` };
  }
}

/** `Stack/Api` for `Stack/Api/Resource/Resource`: the construct that owns an L1. */
const ownerPath = (constructPath: string) => constructPath.replace(/(\/Resource)+$/, '');

/** The threats each typed opt-out concerns, by its control; controls no threat reads (alarms, tracing) are in the ledger only. */
const CONTROL_THREATS: Record<string, string[]> = {
  'authorization': ['unauthenticated-api'],
  'rotation': ['stale-secret'],
  'deletionProtection': ['tampered-records'],
  'objectLock': ['tampered-objects'],
  'deadLetterQueue': ['lost-events'],
  'waf-block': ['web-exploits'],
};

/** An opt-out, as a comment, and the threat keys it concerns. */
interface OptOutComment {
  readonly text: string;
  readonly threats: string[];
}

/**
 * Each opt-out belongs to the element whose construct is nearest above (or
 * at) the construct the opt-out was recorded on: a route's authorization
 * opt-out belongs to its API, a secret's rotation opt-out to the secret. An
 * opt-out on a guard (a web ACL's rule in count mode) concerns what it guards.
 */
function optOutsByElement(graph: FlowGraph, optOuts: TypedOptOut[]): Map<string, OptOutComment[]> {
  const owners = [...graph.elements.values()].filter((e) => e.constructPath).map((e) => ({ e, owner: ownerPath(e.constructPath!) }));
  const found = new Map<string, OptOutComment[]>();
  for (const o of optOuts) {
    const threats = CONTROL_THREATS[o.control.split(':')[0]];
    const nearest = owners
      .filter(({ owner }) => o.constructPath === owner || o.constructPath.startsWith(`${owner}/`))
      .sort((a, b) => b.owner.length - a.owner.length)[0];
    if (!nearest || !threats) {
      continue;
    }
    const guarded = [...graph.guards].filter(([, guards]) => guards.some((g) => g.id === nearest.e.id)).map(([id]) => id);
    for (const id of [nearest.e.id, ...guarded]) {
      found.set(id, [...(found.get(id) ?? []), { text: `Opted out: ${o.control} (${o.reason})`, threats }]);
    }
  }
  return found;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The STRIDE-D letters as the reports name them. @internal */
export function strideName(letter: StrideD): string {
  return STRIDE_D_NAMES.find(([l]) => l === letter)![1];
}
