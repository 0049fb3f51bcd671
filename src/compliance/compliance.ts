import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationPlugin, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { AegisChecks } from './packs/aegis-checks';
import { IndexedAwsSolutionsChecks } from './private/indexed-aws-solutions';
import { GatedHipaaSecurityChecks, GatedNist80053R5Checks, GatedPciDss321Checks, GatedServerlessChecks } from './private/rule-gates';
import { threatModelLine } from './reports/cli';
import { summaryLine, writeComplianceReports } from './reports/write';
import { ProblemCollector } from '../core/errors';
import { ACKNOWLEDGEMENT_PREFIX, checkJustification, MIN_REASON_LENGTH, Toggle } from '../core/justification';
import { DEFAULT_LOG_RETENTION, REGULATED_MIN_LOG_RETENTION_DAYS } from '../core/log-group';
import { AssemblyReading } from '../core/private/cloud-assembly';
import { requireEnumValue, requireInstanceOf, requireInterface, requireOptionalArray, requireOptionalBoolean, requireStruct } from '../core/private/input-checks';
import { peekProfile, PROFILE_CONTEXT_KEY, SecurityProfile, writeProfile } from '../core/profile';
import { writeThreatModel } from '../threat-model/threat-model';

/**
 * Options of `Compliance.of(app).enforce()`.
 */
export interface EnforceOptions {
  /**
   * The profile of the app: which rule packs run, and how strict cdk-aegis
   * constructs are.
   *
   * @default - the `@cdk-aegis/profile` context value, else `SecurityProfile.BASELINE`
   */
  readonly profile?: SecurityProfile;

  /**
   * More validation plugins to run, e.g. `new NIST80053R4Checks()` or your own NagPack.
   * A plugin whose `name` is already registered is not added twice.
   *
   * @default - none
   */
  readonly additionalPacks?: IPolicyValidationPlugin[];

  /**
   * Print each rule's explanation beside its finding. Fixed by the call that
   * first registers a pack: a later `enforce()` does not re-create it.
   *
   * @default false
   */
  readonly verbose?: boolean;

  /**
   * Write the STRIDE-D threat model (`threat-model.tc.json` for Threat
   * Composer, `threat-model.md` with a Mermaid data-flow diagram) into the
   * cloud assembly at every synth. Turning it off takes a reason, recorded in
   * the compliance ledger.
   *
   * @default Toggle.on(): written at every synth
   */
  readonly threatModel?: Toggle;
}

/** What `enforce()` keeps on an app: the packs it registered, by name, and whether it writes the threat model. */
interface AppCompliance {
  readonly packs: Map<string, IPolicyValidationPlugin>;
  /** Why the threat model is not written, when it is off. */
  threatModelOff?: string;
}

/** Where an app keeps its compliance state: on the app object itself, never in this module. */
const STATE = Symbol.for('cdk-aegis.compliance');

function stateOf(app: IConstruct): AppCompliance | undefined {
  return (app as unknown as { [STATE]?: AppCompliance })[STATE];
}

/**
 * Writes the SARIF file and the compliance ledger into the cloud assembly
 * each time `app` synthesizes, right after the CDK has written its validation
 * report (and also when a finding makes the synth fail), and prints the
 * summary line under the CDK CLI.
 *
 * This is the one hook cdk-aegis keeps, on the app object only: aws-cdk-lib
 * runs validation plugins before it writes the validation report, and offers
 * no callback after it (custom synthesis runs earlier), so the reports, which
 * need the report's acknowledged findings, are written by wrapping this app's
 * `synth`. The CDK's own auto-synth calls the same method.
 */
function writeReportsOnSynth(app: IConstruct, packNames: () => string[], state: AppCompliance): void {
  const target = app as unknown as { synth?: (options?: unknown) => unknown };
  const synth = target.synth;
  if (typeof synth !== 'function') {
    return;
  }
  // The CDK hands back the same assembly when the app was synthesized already (e.g. the CDK CLI's auto-synth
  // after the app's own `app.synth()`): report each assembly once.
  let reported: unknown;
  target.synth = function synthAndReport(this: unknown, options?: unknown) {
    const started = Date.now();
    let assembly: unknown;
    try {
      assembly = synth.call(target, options);
      return assembly;
    } finally {
      if (assembly === undefined || assembly !== reported) {
        reported = assembly;
        const outdir = (app as unknown as { outdir?: string }).outdir;
        // The reports and the threat model read the same files: one reading parses each once.
        const reading = outdir === undefined ? undefined : new AssemblyReading(outdir);
        reportAfterSynth(reading, started, packNames(), state.threatModelOff);
        if (assembly !== undefined && state.threatModelOff === undefined) {
          threatModelAfterSynth(reading);
        }
      }
    }
  };
}

/** Writes the threat model into the assembly a synth just wrote; prints its summary under the CDK CLI. */
function threatModelAfterSynth(reading: AssemblyReading | undefined): void {
  if (reading === undefined) {
    return;
  }
  try {
    const line = threatModelLine(writeThreatModel(reading));
    if (process.env.CDK_OUTDIR !== undefined) {
      process.stderr.write(`${line}\n`);
    }
  } catch (e) {
    process.stderr.write(`[cdk-aegis] could not write the threat model to ${reading.dir}: ${(e as Error).message}\n`);
  }
}

function reportAfterSynth(reading: AssemblyReading | undefined, started: number, packs: string[], threatModelOff: string | undefined): void {
  if (reading === undefined) {
    return;
  }
  const outdir = reading.dir;
  const report = path.join(outdir, 'validation-report.json');
  // No validation report from this synth (it failed before validating, or nothing was reported): nothing to add.
  if (!fs.existsSync(report) || fs.statSync(report).mtimeMs < started - 1000) {
    return;
  }
  try {
    const appOptOuts = threatModelOff === undefined ? [] : [{ constructPath: 'App', control: 'threatModel', reason: threatModelOff }];
    const summary = summaryLine(writeComplianceReports(outdir, packs, appOptOuts, reading));
    if (process.env.CDK_OUTDIR !== undefined) {
      process.stderr.write(`${summary}\n`);
    }
  } catch (e) {
    process.stderr.write(`[cdk-aegis] could not write the compliance reports to ${outdir}: ${(e as Error).message}\n`);
  }
}

/**
 * Synth-time enforcement of the rule packs for a whole app.
 *
 * ```ts
 * const app = new App();
 * Compliance.of(app).enforce(); // BASELINE: AwsSolutions + Serverless
 * ```
 *
 * Every error finding anywhere in the app, in our constructs or not, fails
 * `cdk synth`; the CDK writes `validation-report.json` to the cloud assembly.
 * Call `enforce()` before creating cdk-aegis constructs: they read the profile
 * when they are built.
 */
export class Compliance {
  /**
   * Context key that selects the profile without code, e.g. in `cdk.json`:
   * `{ "context": { "@cdk-aegis/profile": "REGULATED" } }`.
   */
  public static readonly PROFILE_CONTEXT_KEY: string = PROFILE_CONTEXT_KEY;

  /** Shortest reason accepted for turning a control off. */
  public static readonly MIN_REASON_LENGTH: number = MIN_REASON_LENGTH;

  /** Prefix of every acknowledgement reason cdk-aegis writes. */
  public static readonly ACKNOWLEDGEMENT_PREFIX: string = ACKNOWLEDGEMENT_PREFIX;

  /** Default retention of the log groups cdk-aegis creates, per profile. */
  public static readonly DEFAULT_LOG_RETENTION: { [profile: string]: logs.RetentionDays } = DEFAULT_LOG_RETENTION;

  /** Shortest retention the REGULATED profile accepts (HIPAA / PCI audit-trail retention). */
  public static readonly REGULATED_MIN_LOG_RETENTION_DAYS: number = REGULATED_MIN_LOG_RETENTION_DAYS;

  /**
   * The compliance settings of `scope`'s app.
   *
   * @param scope the App, or any construct in it
   */
  public static of(scope: IConstruct): Compliance {
    return new Compliance(scope.node.root);
  }

  private constructor(private readonly app: IConstruct) {}

  /** The profile in force for this app. */
  public get profile(): SecurityProfile {
    return peekProfile(this.app);
  }

  /** Names of the validation plugins registered through `enforce()`, in order. */
  public get packNames(): string[] {
    return [...(stateOf(this.app)?.packs.keys() ?? [])];
  }

  /**
   * Registers the rule packs of the profile as validation plugins of the app
   * and records the profile. BASELINE: AwsSolutions, Serverless and cdk-aegis's
   * own `Aegis` pack; REGULATED: also HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1.
   * Calling it again adds only packs not yet registered.
   */
  public enforce(options: EnforceOptions = {}): void {
    checkEnforceOptions(this.app, options);
    const profile = options.profile ?? peekProfile(this.app);
    writeProfile(this.app, profile);

    const verbose = options.verbose ?? false;
    const packs: IPolicyValidationPlugin[] = [
      new IndexedAwsSolutionsChecks(undefined, { verbose }),
      new GatedServerlessChecks(undefined, { verbose }),
      new AegisChecks(undefined, { verbose }),
    ];
    if (profile === SecurityProfile.REGULATED) {
      packs.push(
        new GatedHipaaSecurityChecks(undefined, { verbose }),
        new GatedNist80053R5Checks(undefined, { verbose }),
        new GatedPciDss321Checks(undefined, { verbose }),
      );
    }
    packs.push(...(options.additionalPacks ?? []));

    let state = stateOf(this.app);
    if (!state) {
      state = { packs: new Map() };
      Object.defineProperty(this.app, STATE, { value: state, enumerable: false });
      writeReportsOnSynth(this.app, () => this.packNames, state);
    }
    if (options.threatModel !== undefined) {
      state.threatModelOff = options.threatModel.enabled ? undefined : options.threatModel.justification!.reason;
    }
    // Register while filtering, so a name repeated within this call is also added only once.
    const fresh: IPolicyValidationPlugin[] = [];
    for (const pack of packs) {
      if (!state.packs.has(pack.name)) {
        state.packs.set(pack.name, pack);
        fresh.push(pack);
      }
    }
    if (fresh.length > 0) {
      Validations.of(this.app).addPlugins(...fresh);
    }
  }
}

/** Types of the options, as untyped callers (Python, Java, .NET, JavaScript) may get them wrong. */
function checkEnforceOptions(app: IConstruct, options: EnforceOptions): void {
  // The App's path is empty: name it.
  const problems = new ProblemCollector(app, app.node.path ? undefined : 'App');
  if (requireStruct(problems, 'options', options, '{ profile: SecurityProfile.REGULATED }', true)) {
    const o = options as unknown as Record<keyof EnforceOptions, unknown>;
    requireEnumValue(problems, 'profile', o.profile, SecurityProfile, 'SecurityProfile');
    requireOptionalArray(problems, 'additionalPacks', o.additionalPacks, '[new NIST80053R4Checks()]', (prop, value) =>
      requireInterface(problems, prop, value, 'validate', 'a validation plugin (an IPolicyValidationPlugin such as a cdk-nag NagPack)', true));
    requireOptionalBoolean(problems, 'verbose', o.verbose);
    if (o.threatModel !== undefined && requireInstanceOf(problems, 'threatModel', o.threatModel, Toggle, 'Toggle.off({ reason })')) {
      const toggle = o.threatModel as Toggle;
      if (!toggle.enabled) {
        checkJustification(problems, 'threatModel', toggle.justification);
      }
    }
  }
  problems.throwIfAny();
}
