import { CfnResource, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { AEGIS_RULES } from '../rules';
import { StackIndex } from '../rules/stack-index';

/** The plugin name of the Aegis pack; acknowledgements name its rules `Aegis::Aegis-<ID>`. */
export const AEGIS_PACK_NAME = 'Aegis';

/**
 * cdk-aegis's own rule pack: the serverless controls the public packs miss,
 * checked on every resource of the app (plain L1/L2 code included).
 * `Compliance.of(app).enforce()` registers it in every profile; RULES.md lists
 * its rules.
 *
 * Rules that look across resources use one index per stack, built once per
 * validation run.
 */
export class AegisChecks extends NagPack {
  /** The plugin name of the Aegis pack; acknowledgements name its rules `Aegis::Aegis-<ID>`. */
  public static readonly PACK_NAME: string = AEGIS_PACK_NAME;

  /** The plugin name. */
  public readonly name = AEGIS_PACK_NAME;

  private indexes = new Map<Stack, StackIndex>();

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = AEGIS_PACK_NAME;
  }

  /** Validates every resource under `scope`. */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.indexes = new Map();
    try {
      return super.validateScope(scope);
    } finally {
      this.indexes = new Map();
    }
  }

  protected checkResource(node: CfnResource): void {
    const type = node.cfnResourceType;
    for (const rule of AEGIS_RULES) {
      if (!rule.resourceTypes.includes(type)) {
        continue;
      }
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level,
        node,
        rule: Object.defineProperty((resource: CfnResource) => rule.check(resource, this.indexOf(resource)), 'name', { value: rule.id }),
      });
    }
  }

  private indexOf(node: CfnResource): StackIndex {
    const stack = Stack.of(node);
    let index = this.indexes.get(stack);
    if (index === undefined) {
      index = StackIndex.build(stack);
      this.indexes.set(stack, index);
    }
    return index;
  }
}
