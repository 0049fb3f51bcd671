import { CfnResource } from 'aws-cdk-lib';
import { HIPAASecurityChecks, IApplyRule, NIST80053R5Checks, NagRuleResult, PCIDSS321Checks, rules, ServerlessChecks } from 'cdk-nag';
import { RULE_GATES, RULE_GATES_CDK_NAG_VERSION } from './rule-gates.generated';

type Rule = (node: CfnResource) => NagRuleResult;

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
 * Used only with the cdk-nag version the table was proven for; with any
 * other version every rule runs, as in cdk-nag.
 *
 * @internal
 */
export class RuleGates {
  private table?: Map<Rule, ReadonlySet<string>>;

  /** @param cdkNagVersion the cdk-nag version in use (the installed one) */
  constructor(private readonly cdkNagVersion: string | undefined = installedCdkNagVersion()) {}

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
  for (const [key, types] of Object.entries(RULE_GATES)) {
    const [service, name] = key.split('/');
    const rule = namespaces[service]?.[name];
    if (typeof rule === 'function') {
      table.set(rule as Rule, new Set(types));
    }
  }
  return table;
}

// The packs enforce() registers, each with its rules gated (AwsSolutions: IndexedAwsSolutionsChecks). Same names, rules and findings.

/** ServerlessChecks, each rule evaluated only on the resource types it can report on. @internal */
export class GatedServerlessChecks extends ServerlessChecks {
  private readonly gates = new RuleGates();

  protected applyRule(params: IApplyRule): void {
    if (!this.gates.skips(params)) {
      super.applyRule(params);
    }
  }
}

/** HIPAASecurityChecks, each rule evaluated only on the resource types it can report on. @internal */
export class GatedHipaaSecurityChecks extends HIPAASecurityChecks {
  private readonly gates = new RuleGates();

  protected applyRule(params: IApplyRule): void {
    if (!this.gates.skips(params)) {
      super.applyRule(params);
    }
  }
}

/** NIST80053R5Checks, each rule evaluated only on the resource types it can report on. @internal */
export class GatedNist80053R5Checks extends NIST80053R5Checks {
  private readonly gates = new RuleGates();

  protected applyRule(params: IApplyRule): void {
    if (!this.gates.skips(params)) {
      super.applyRule(params);
    }
  }
}

/** PCIDSS321Checks, each rule evaluated only on the resource types it can report on. @internal */
export class GatedPciDss321Checks extends PCIDSS321Checks {
  private readonly gates = new RuleGates();

  protected applyRule(params: IApplyRule): void {
    if (!this.gates.skips(params)) {
      super.applyRule(params);
    }
  }
}
