import { Boundary, Element, ElementKind, Flow } from './graph';
import { ModelThreat, ThreatModelData, strideName, uuidV5 } from './model';
import { STRIDE_D_NAMES, StrideD } from './threats';

/**
 * Writers of the threat model: the Threat Composer data-exchange format
 * (schema v1) and a Markdown summary with a Mermaid data-flow diagram.
 */

/** Mermaid's default limits (`maxTextSize`, `maxEdges`): above them a diagram does not render. @internal */
export const MERMAID_MAX_TEXT = 50_000;
/** @internal */
export const MERMAID_MAX_EDGES = 500;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const ASSUMPTIONS = [
  'AWS services, the AWS account\'s administrators and the deployment pipeline are trusted.',
  'The model is derived from the synthesized templates only: controls outside this app (organization trails, SCPs, permission boundaries set elsewhere, network controls) are not seen.',
  'Flows come from integrations, permissions, event source mappings, rules, subscriptions, notifications and IAM policies; data a function reaches with credentials it gets at run time is not seen.',
];

/** The model in the Threat Composer data-exchange format, schema v1. @internal */
export function toThreatComposer(model: ThreatModelData, appName: string): Record<string, unknown> {
  const { threats, mitigations, graph } = model;
  const open = threats.filter((t) => !t.resolved).length;
  const assumptions = ASSUMPTIONS.map((content, i) => ({ id: uuidV5(`assumption:${i}`), numericId: i + 1, displayOrder: i + 1, content }));
  return {
    schema: 1,
    applicationInfo: {
      name: clip(`${appName} (derived by cdk-aegis)`, 200),
      description: `Derived from the cloud assembly at synth by cdk-aegis: ${graph.elements.size} elements, ${graph.flows.size} flows, ` +
        `${threats.length} threats (${open} open, ${threats.length - open} resolved by the configuration). Regenerate it with every synth; do not edit it by hand.`,
    },
    architecture: { description: architectureMarkdown(model) },
    dataflow: { description: flowsMarkdown([...graph.flows.values()]) },
    assumptions,
    mitigations: mitigations.map((m, i) => ({
      id: m.id,
      numericId: i + 1,
      displayOrder: i + 1,
      content: clip(`${m.spec.title} (${m.targetName})`, 1000),
      status: m.evidence.resolved ? 'mitigationResolved' : 'mitigationIdentified',
      metadata: [
        { key: 'Comments', value: clip(m.evidence.resolved ? `Evidence: ${m.evidence.text}` : `To do: ${m.evidence.text}`, 1000) },
        { key: 'custom:mitigationKey', value: m.spec.key },
      ],
      tags: ['cdk-aegis'],
    })),
    // The assumptions hold for the whole model: no per-threat links (they would double the file for a large app).
    assumptionLinks: [],
    mitigationLinks: threats.flatMap((t) => t.mitigations.map((m) => ({ mitigationId: m.id, linkedId: t.id }))),
    threats: threats.map((t, i) => composerThreat(t, i + 1)),
  };
}

function composerThreat(t: ModelThreat, numericId: number): Record<string, unknown> {
  const stride = t.spec.stride;
  const metadata: Array<{ key: string; value: string | string[] }> = [];
  if (stride !== StrideD.DEPENDENCIES) {
    metadata.push({ key: 'STRIDE', value: [stride] });
  }
  metadata.push(
    { key: 'Priority', value: t.spec.priority },
    { key: 'custom:strideD', value: stride === StrideD.DEPENDENCIES ? 'Dependencies' : stride },
    { key: 'custom:threatKey', value: t.spec.key },
    { key: 'custom:where', value: t.where },
  );
  if (t.comments.length > 0) {
    metadata.push({ key: 'Comments', value: clip(t.comments.join(' · '), 1000) });
  }
  return {
    id: t.id,
    numericId,
    displayOrder: numericId,
    threatSource: clip(t.grammar.source, 200),
    prerequisites: clip(t.grammar.prerequisites, 200),
    threatAction: clip(t.grammar.action, 200),
    threatImpact: clip(t.grammar.impact, 200),
    impactedGoal: t.grammar.goals.map((g) => clip(g, 200)),
    impactedAssets: t.assets.map((a) => clip(a, 200)),
    statement: t.statement,
    status: t.resolved ? 'threatResolved' : 'threatIdentified',
    metadata,
    tags: [stride === StrideD.DEPENDENCIES ? 'STRIDE-D: Dependencies' : `STRIDE-D: ${stride}`, clip(t.spec.key, 30)],
  };
}

function architectureMarkdown(model: ThreatModelData): string {
  const lines = ['Elements by trust boundary (construct path in parentheses).', ''];
  for (const boundary of [Boundary.INTERNET, Boundary.AWS, Boundary.ACCOUNT]) {
    const elements = [...model.graph.elements.values()].filter((e) => e.boundary === boundary);
    if (elements.length > 0) {
      lines.push(`**${boundary}**`, '', ...elements.map((e) => `- ${e.kind}: ${e.label} (${e.noun}${e.constructPath ? `, \`${e.constructPath}\`` : ''})`), '');
    }
  }
  return clip(lines.join('\n'), 100_000);
}

function flowsMarkdown(flows: Flow[]): string {
  const rows = flows.map((f) => `| ${f.from.label} | ${f.to.label} | ${[...f.labels].join('; ')} | ${[...f.vias].join(', ')}${f.crossStack ? ' (cross-stack)' : ''} |`);
  return clip(['| From | To | What | Found in |', '|---|---|---|---|', ...rows].join('\n'), 100_000);
}

/** Mermaid-safe label text. */
const label = (text: string) => `"${text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'))}"`;

/** A node id Mermaid accepts: letters, digits and `_`, prefixed so no id is a keyword. */
const nodeId = (id: string) => `n_${uuidV5(id).slice(0, 8)}`;

const SHAPES: Record<ElementKind, (text: string) => string> = {
  [ElementKind.ACTOR]: (t) => `[${label(t)}]`,
  [ElementKind.ENTRY]: (t) => `[/${label(t)}/]`,
  [ElementKind.PROCESS]: (t) => `(${label(t)})`,
  [ElementKind.STORE]: (t) => `[(${label(t)})]`,
  [ElementKind.ROUTER]: (t) => `{{${label(t)}}}`,
  [ElementKind.GUARD]: (t) => `>${label(t)}]`,
  [ElementKind.ACCOUNT]: (t) => `[${label(t)}]`,
};

/**
 * A Mermaid flowchart: one subgraph per trust boundary, one per stack inside
 * the account. When the detailed diagram would pass Mermaid's limits, each
 * stack collapses into one node and flows between stacks are counted.
 *
 * @internal
 */
export function mermaidFlowchart(model: ThreatModelData): { text: string; collapsed: boolean } {
  const detailed = detailedFlowchart(model);
  const edges = detailed.split('\n').filter((line) => / -->\|| -\.->\|/.test(line)).length;
  if (detailed.length <= MERMAID_MAX_TEXT && edges <= MERMAID_MAX_EDGES) {
    return { text: detailed, collapsed: false };
  }
  return { text: collapsedFlowchart(model), collapsed: true };
}

function detailedFlowchart(model: ThreatModelData): string {
  const elements = [...model.graph.elements.values()]
    .filter((e) => e.kind !== ElementKind.ACCOUNT && (e.kind !== ElementKind.GUARD || isGuardShown(e, model)));
  const lines = ['flowchart LR'];
  const node = (e: Element) => `${nodeId(e.id)}${SHAPES[e.kind](e.label)}`;
  for (const boundary of [Boundary.INTERNET, Boundary.AWS]) {
    const inside = elements.filter((e) => e.boundary === boundary);
    if (inside.length > 0) {
      lines.push(`  subgraph ${boundaryId(boundary)}[${label(boundary)}]`, ...inside.map((e) => `    ${node(e)}`), '  end');
    }
  }
  const inAccount = elements.filter((e) => e.boundary === Boundary.ACCOUNT);
  const stacks = [...new Set(inAccount.filter((e) => e.stackPath !== undefined).map((e) => e.stackPath!))];
  if (inAccount.length > 0) {
    lines.push(`  subgraph ${boundaryId(Boundary.ACCOUNT)}[${label(Boundary.ACCOUNT)}]`);
    // Actors of the account itself (its IAM principals) sit in the account, outside every stack.
    lines.push(...inAccount.filter((e) => e.stackPath === undefined).map((e) => `    ${node(e)}`));
    for (const stack of stacks) {
      lines.push(`    subgraph ${nodeId(`stack:${stack}`)}[${label(`stack ${stack}`)}]`);
      lines.push(...elements.filter((e) => e.stackPath === stack).map((e) => `      ${node(e)}`), '    end');
    }
    lines.push('  end');
  }
  const shown = new Set(elements.map((e) => e.id));
  for (const flow of model.graph.flows.values()) {
    if (shown.has(flow.from.id) && shown.has(flow.to.id)) {
      lines.push(`  ${nodeId(flow.from.id)} -->|${label(clip([...flow.labels].join('; '), 60) + (flow.crossStack ? ' (cross-stack)' : ''))}| ${nodeId(flow.to.id)}`);
    }
  }
  for (const [guarded, guards] of model.graph.guards) {
    for (const guard of guards) {
      lines.push(`  ${nodeId(guard.id)} -.->|"guards"| ${nodeId(guarded)}`);
    }
  }
  return lines.join('\n');
}

/** Web ACLs and authorizers are drawn (beside what they guard); keys and trails are listed, not drawn. */
function isGuardShown(guard: Element, model: ThreatModelData): boolean {
  return [...model.graph.guards.values()].some((guards) => guards.some((g) => g.id === guard.id));
}

function collapsedFlowchart(model: ThreatModelData): string {
  const groupOf = (e: Element) => (e.boundary === Boundary.ACCOUNT && e.stackPath ? `stack:${e.stackPath}` : e.id);
  const lines = ['flowchart LR'];
  const groups = new Map<string, string>();
  for (const e of model.graph.elements.values()) {
    if (e.kind === ElementKind.ACCOUNT) {
      continue;
    }
    const group = groupOf(e);
    if (!groups.has(group)) {
      groups.set(group, group.startsWith('stack:') ? `[${label(`stack ${e.stackPath} (${[...model.graph.elements.values()].filter((x) => x.stackPath === e.stackPath).length} elements)`)}]` : SHAPES[e.kind](e.label));
    }
  }
  for (const boundary of [Boundary.INTERNET, Boundary.AWS, Boundary.ACCOUNT]) {
    const inside = [...groups].filter(([group]) => {
      const sample = [...model.graph.elements.values()].find((e) => groupOf(e) === group)!;
      return sample.boundary === boundary;
    });
    if (inside.length > 0) {
      lines.push(`  subgraph ${boundaryId(boundary)}[${label(boundary)}]`, ...inside.map(([group, shape]) => `    ${nodeId(group)}${shape}`), '  end');
    }
  }
  const counts = new Map<string, number>();
  for (const flow of model.graph.flows.values()) {
    const [from, to] = [groupOf(flow.from), groupOf(flow.to)];
    if (from !== to) {
      counts.set(`${from}\u0000${to}`, (counts.get(`${from}\u0000${to}`) ?? 0) + 1);
    }
  }
  for (const [pair, count] of counts) {
    const [from, to] = pair.split('\u0000');
    lines.push(`  ${nodeId(from)} -->|${label(`${count} flow(s)`)}| ${nodeId(to)}`);
  }
  return lines.join('\n');
}

const boundaryId = (boundary: Boundary) => `b_${boundary.replace(/[^A-Za-z]/g, '').toLowerCase()}`;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `threat-model.md`: summary, diagram, and the threat, mitigation, element and flow tables. @internal */
export function toMarkdown(model: ThreatModelData, appName: string): string {
  const { threats, graph } = model;
  const open = threats.filter((t) => !t.resolved);
  const diagram = mermaidFlowchart(model);
  const lines = [
    `# Threat model: ${appName}`,
    '',
    '<!-- Written by cdk-aegis from the cloud assembly at every synth. Do not edit: change the app, then synthesize. -->',
    '',
    `${graph.elements.size} elements, ${graph.flows.size} flows, **${threats.length} threats: ${open.length} open, ${threats.length - open.length} resolved by the configuration** ` +
      '(STRIDE plus Dependencies). Each resolved threat names the property that resolves it; each open one says what to add. ' +
      'Open `threat-model.tc.json` in Threat Composer or the AWS Toolkit for VS Code to work on it.',
    '',
    '| STRIDE-D | Open | Resolved |',
    '|---|---|---|',
    ...STRIDE_D_NAMES.map(([letter, nameOfLetter]) => {
      const all = threats.filter((t) => t.spec.stride === letter);
      return `| ${nameOfLetter} | ${all.filter((t) => !t.resolved).length} | ${all.filter((t) => t.resolved).length} |`;
    }),
    '',
    '## Data flows',
    '',
    diagram.collapsed ? `The app is too large for one detailed diagram (Mermaid renders at most ${MERMAID_MAX_TEXT} characters and ${MERMAID_MAX_EDGES} edges): each stack is one node; the flow table below lists every flow.` : '',
    '```mermaid',
    diagram.text,
    '```',
    '',
    '## Open threats',
    '',
    ...threatTable(open),
    '',
    '## Resolved threats',
    '',
    ...threatTable(threats.filter((t) => t.resolved)),
    '',
    '## Flows',
    '',
    flowsMarkdown([...graph.flows.values()]),
    '',
  ];
  return lines.filter((line, i) => !(line === '' && lines[i - 1] === '')).join('\n');
}

function threatTable(threats: ModelThreat[]): string[] {
  if (threats.length === 0) {
    return ['None.'];
  }
  return [
    '| | STRIDE-D | Where | Threat | Mitigations |',
    '|---|---|---|---|---|',
    ...threats.map((t) => {
      const mitigations = t.mitigations.map((m) => `${m.evidence.resolved ? '✅' : '⬜'} ${m.spec.title}: ${m.evidence.text}`).join('<br>');
      const comments = t.comments.length > 0 ? `<br>${t.comments.join('<br>')}` : '';
      return `| ${t.id.slice(0, 8)} | ${strideName(t.spec.stride)} | ${cell(t.targetName)} | ${cell(t.statement)} | ${cell(mitigations + comments)} |`;
    }),
  ];
}
