import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps } from 'aws-cdk-lib';

/** One rule a validation plugin reports, with the construct paths it names. */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
}

/** An acknowledged finding, as the CDK validation report lists it. */
export interface Acknowledged extends Finding {
  readonly acknowledgedId: string;
  readonly reason: string;
  readonly acknowledgedAt: string;
}

export interface SynthResult {
  /** Unacknowledged findings (errors and warnings) of every plugin, CloudFormation validation included. */
  readonly findings: Finding[];
  /** Acknowledged findings. */
  readonly acknowledged: Acknowledged[];
  /** The error `app.synth()` threw, if any. */
  readonly error?: Error;
}

/** A fresh App writing to its own temporary directory. */
export function newApp(props: AppProps = {}): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-test-')), ...props });
}

/**
 * Synthesizes `app` the way `cdk synth` does (validation plugins included) and
 * returns what the CDK's validation report says.
 */
export function synthesize(app: App): SynthResult {
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  const reportFile = path.join(app.outdir, 'validation-report.json');
  if (!fs.existsSync(reportFile)) {
    if (error) {
      throw error;
    }
    return { findings: [], acknowledged: [] };
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const findings: Finding[] = [];
  const acknowledged: Acknowledged[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const v of plugin.violations ?? []) {
      findings.push({ plugin: plugin.pluginName, rule: v.ruleName, severity: v.severity, paths: pathsOf(v) });
    }
    for (const v of plugin.suppressedViolations ?? []) {
      acknowledged.push({
        plugin: plugin.pluginName,
        rule: v.ruleName,
        severity: v.severity,
        paths: pathsOf(v),
        acknowledgedId: v.acknowledgedId,
        reason: v.reason,
        acknowledgedAt: v.acknowledgedAt,
      });
    }
  }
  return { findings, acknowledged, error };
}

function pathsOf(violation: any): string[] {
  return (violation.violatingConstructs ?? violation.violatingResources ?? []).map((c: any) => c.constructPath);
}

/** `plugin rule @ path` lines, for readable failure output. */
export function findingLines(findings: readonly Finding[]): string[] {
  return findings.flatMap((f) => f.paths.map((p) => `${f.plugin} ${f.rule} @ ${p}`));
}

/**
 * The two rule-defect acknowledgements every stack with monitoring has: the
 * security-change rules' dead-letter queue (`rule @ acknowledgedAt`).
 */
export function securityChangeDeadLetterAcks(stackPath: string): string[] {
  return [
    `AwsSolutions-SQS3 @ ${stackPath}/AegisMonitoring/SecurityChangesDeadLetterQueue`,
    `Serverless-SQSRedrivePolicy @ ${stackPath}/AegisMonitoring/SecurityChangesDeadLetterQueue`,
  ];
}
