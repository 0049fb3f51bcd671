import * as fs from 'fs';
import * as path from 'path';
import { buildThreatModel } from './private/model';
import { toMarkdown, toThreatComposer } from './private/render';
import { AssemblyReading } from '../core/private/cloud-assembly';

/** What one threat-model generation found and wrote. */
export interface ThreatModelSummary {
  /** Elements of the data-flow diagram (actors, entry points, processes, stores, routers, guards, accounts). */
  readonly elements: number;
  /** Directed data flows between them. */
  readonly flows: number;
  /** Threats derived (STRIDE plus Dependencies). */
  readonly threats: number;
  /** Threats with at least one mitigation the configuration does not show. */
  readonly openThreats: number;
  /** The files written, e.g. `cdk.out/threat-model.tc.json`. */
  readonly files: string[];
}

/**
 * A STRIDE-D threat model (STRIDE plus Dependencies) derived from a cloud
 * assembly: the data-flow diagram follows what the templates mean (API
 * integrations, invoke permissions, event source mappings, EventBridge rules,
 * SNS subscriptions, S3 notifications, IAM grants, cross-stack references),
 * and each mitigation's status is evidenced by the configuration.
 *
 * Works on any CDK app: it reads the templates and manifests only.
 * `Compliance.of(app).enforce()` writes it at every synth; the CLI
 * `npx cdk-aegis threat-model cdk.out` writes it for an assembly synthesized elsewhere.
 */
export class ThreatModel {
  /** Threat Composer data-exchange file (schema v1) written into the assembly. */
  public static readonly COMPOSER_FILE: string = 'threat-model.tc.json';

  /** Markdown summary with a Mermaid data-flow diagram, written into the assembly. */
  public static readonly MARKDOWN_FILE: string = 'threat-model.md';

  /**
   * Derives the threat model of the cloud assembly in `assemblyDir` and writes
   * `threat-model.tc.json` and `threat-model.md` into it.
   *
   * @param assemblyDir the cloud assembly directory, e.g. `cdk.out`
   */
  public static write(assemblyDir: string): ThreatModelSummary {
    if (typeof assemblyDir !== 'string' || !fs.existsSync(path.join(assemblyDir, 'manifest.json'))) {
      throw new Error(`\`assemblyDir\` must be a cloud assembly directory (with a manifest.json), got: ${JSON.stringify(assemblyDir)}. ` +
        'Pass the `cdk synth --output` directory, e.g. `cdk.out`.');
    }
    return writeThreatModel(new AssemblyReading(assemblyDir));
  }

  private constructor() {}
}

/**
 * {@link ThreatModel.write} over an assembly already being read (the
 * compliance reports of the same synth share the reading).
 *
 * @internal
 */
export function writeThreatModel(reading: AssemblyReading): ThreatModelSummary {
  const assemblyDir = reading.dir;
  const top = reading.stacks;
  const model = buildThreatModel(reading.stacksWithNested, assemblyDir, reading.constructPaths);
  const appName = top.length === 0 ? 'empty app' : top.length <= 4 ? top.map((s) => s.path).join(', ') : `${top.length} stacks`;
  const files = [path.join(assemblyDir, ThreatModel.COMPOSER_FILE), path.join(assemblyDir, ThreatModel.MARKDOWN_FILE)];
  fs.writeFileSync(files[0], `${JSON.stringify(toThreatComposer(model, appName), undefined, 2)}\n`);
  fs.writeFileSync(files[1], toMarkdown(model, appName));
  return {
    elements: model.graph.elements.size,
    flows: model.graph.flows.size,
    threats: model.threats.length,
    openThreats: model.threats.filter((t) => !t.resolved).length,
    files,
  };
}
