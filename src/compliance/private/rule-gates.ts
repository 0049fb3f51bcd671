import { createHash } from 'crypto';
import { CfnResource } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { HIPAASecurityChecks, IApplyRule, NIST80053R5Checks, NagRuleCompliance, NagRuleResult, NagRules, PCIDSS321Checks, rules, ServerlessChecks } from 'cdk-nag';
import { RULE_GATES, RULE_GATES_CDK_NAG_VERSION } from './rule-gates.generated';
import { newestRuntimeOf, RUNTIME_NAME_EXPRESSION } from '../../core/private/runtime';

type Rule = (node: CfnResource) => NagRuleResult;

const SOURCES = new WeakMap<Rule, string>();

/**
 * The first 16 hex digits of the SHA-1 of a rule function's source text. A
 * gate or a faster copy is used only for the exact source it was proven or
 * written for: a cdk-nag patched in place (patch-package, pnpm patch) keeps
 * its version number, not its source.
 *
 * @internal
 */
export function ruleSource(rule: Rule): string {
  let hash = SOURCES.get(rule);
  if (hash === undefined) {
    hash = createHash('sha1').update(rule.toString()).digest('hex').slice(0, 16);
    SOURCES.set(rule, hash);
  }
  return hash;
}

/**
 * The source of cdk-nag's LambdaLatestVersion that `RuleGates`' faster copy
 * repeats statement by statement (cdk-nag 3.0.2). Kept by hand: another
 * source runs cdk-nag's own rule until the copy is reviewed against it
 * (`test/compliance/rule-gates.test.ts` fails then).
 *
 * @internal
 */
export const LAMBDA_LATEST_VERSION_SOURCE = '72ab00374a19d11b';

/** The installed cdk-nag's version, or undefined when it cannot be read. @internal */
export function installedCdkNagVersion(): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('cdk-nag/package.json').version;
  } catch {
    return undefined;
  }
}

/**
 * Which cdk-nag rules can report on which resource types, from the table
 * `projenrc/rule-gates.ts` proves from cdk-nag's sources: a rule gated on
 * `node instanceof CfnQueue` returns `NOT_APPLICABLE` for every other node,
 * and a pack reports nothing for `NOT_APPLICABLE`, so skipping it there
 * changes no report. What it saves is the call, and above all the loading of
 * aws-cdk-lib's generated L1 modules of services the app does not use (the
 * rule's `instanceof` loads them): about 300 ms of a synth under
 * AwsSolutions, the same for an app of 1 resource or 1,000.
 *
 * Used only with the cdk-nag version the table was proven for, and for each
 * rule only when its source is the one proven; otherwise the rule runs on
 * every resource, as in cdk-nag.
 *
 * @internal
 */
export class RuleGates {
  private table?: Map<Rule, ReadonlySet<string>>;

  private readonly latestVersionRule = Object.defineProperty((node: CfnResource): NagRuleResult => {
    if (node instanceof CfnFunction) {
      const runtime = NagRules.resolveIfPrimitive(node, node.runtime);
      if (!runtime) {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      const m = runtime.match(RUNTIME_NAME_EXPRESSION);
      if (!m) {
        throw Error(`The Lambda runtime "${runtime}" does not match the expected regular expression, therefore the rule could not be validated.`);
      }
      const runtimeFamily = m[1];
      if (runtimeFamily === 'provided') {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      const latest = newestRuntimeOf(runtimeFamily)?.toString();
      if (latest === undefined) {
        throw Error(`Unable to find families for Lambda runtime "${runtime}", therefore the rule could not be validated.`);
      }
      return runtime !== latest ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    }
    return NagRuleCompliance.NOT_APPLICABLE;
  }, 'name', { value: 'LambdaLatestVersion' });

  /** @param cdkNagVersion the cdk-nag version in use (the installed one) */
  constructor(private readonly cdkNagVersion: string | undefined = installedCdkNagVersion()) {}

  /**
   * `params` as the pack should apply them: undefined when the rule cannot
   * report on the node, else with a faster rule of the same decisions where
   * one exists (for the rule source it was written from only).
   */
  public prepare(params: IApplyRule): IApplyRule | undefined {
    if (this.skips(params)) {
      return undefined;
    }
    const faster = params.rule === rules.lambda.LambdaLatestVersion && ruleSource(params.rule) === LAMBDA_LATEST_VERSION_SOURCE;
    return faster ? { ...params, rule: this.latestVersionRule } : params;
  }

  /** Whether `params.rule` cannot report on `params.node` (it would return `NOT_APPLICABLE`). */
  public skips(params: IApplyRule): boolean {
    const types = (this.table ??= this.cdkNagVersion === RULE_GATES_CDK_NAG_VERSION ? provenTable() : new Map()).get(params.rule);
    return types !== undefined && !types.has(params.node.cfnResourceType);
  }
}

/** The proven table by rule function, built once: it depends on nothing but cdk-nag's modules and the generated table. */
let PROVEN: Map<Rule, ReadonlySet<string>> | undefined;

function provenTable(): Map<Rule, ReadonlySet<string>> {
  return (PROVEN ??= gateTable());
}

function gateTable(): Map<Rule, ReadonlySet<string>> {
  const table = new Map<Rule, ReadonlySet<string>>();
  const namespaces = rules as unknown as Record<string, Record<string, unknown> | undefined>;
  for (const [key, gate] of Object.entries(RULE_GATES)) {
    const [service, name] = key.split('/');
    const rule = namespaces[service]?.[name];
    // Only the source the gate was proven on: a rule patched in place runs on every resource.
    if (typeof rule === 'function' && ruleSource(rule as Rule) === gate.source) {
      table.set(rule as Rule, new Set(gate.types));
    }
  }
  return table;
}

// The packs enforce() registers, each with its rules gated (AwsSolutions: IndexedAwsSolutionsChecks). Same names, rules and findings.

/** ServerlessChecks, each rule evaluated only on the resource types it can report on. @internal */
export class GatedServerlessChecks extends ServerlessChecks {
  private readonly gates = new RuleGates();

  protected applyRule(params: IApplyRule): void {
    const prepared = this.gates.prepare(params);
    if (prepared !== undefined) {
      super.applyRule(prepared);
    }
  }
}

/** HIPAASecurityChecks, each rule evaluated only on the resource types it can report on. @internal */
export class GatedHipaaSecurityChecks extends HIPAASecurityChecks {
  private readonly gates = new RuleGates();

  protected applyRule(params: IApplyRule): void {
    const prepared = this.gates.prepare(params);
    if (prepared !== undefined) {
      super.applyRule(prepared);
    }
  }
}

/** NIST80053R5Checks, each rule evaluated only on the resource types it can report on. @internal */
export class GatedNist80053R5Checks extends NIST80053R5Checks {
  private readonly gates = new RuleGates();

  protected applyRule(params: IApplyRule): void {
    const prepared = this.gates.prepare(params);
    if (prepared !== undefined) {
      super.applyRule(prepared);
    }
  }
}

/** PCIDSS321Checks, each rule evaluated only on the resource types it can report on. @internal */
export class GatedPciDss321Checks extends PCIDSS321Checks {
  private readonly gates = new RuleGates();

  protected applyRule(params: IApplyRule): void {
    const prepared = this.gates.prepare(params);
    if (prepared !== undefined) {
      super.applyRule(prepared);
    }
  }
}
