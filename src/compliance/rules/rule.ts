import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import { StackIndex } from './stack-index';

/**
 * One rule of the Aegis pack: its id, level and text live beside its check.
 * RULES.md is generated from these fields.
 *
 * @internal
 */
export interface AegisRule {
  /** The id after `Aegis-`, e.g. `LAMBDA1`. An explicit constant: users' acknowledgements name it. */
  readonly id: string;
  /** Error (fails synth) or warning. */
  readonly level: NagMessageLevel;
  /** The CloudFormation types the rule looks at. */
  readonly resourceTypes: string[];
  /** One line: what is wrong when the rule fires. */
  readonly info: string;
  /** Why it matters and how to fix it. */
  readonly explanation: string;
  /** COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, or findings (`<kind>::<what>`) for granular acknowledgements. */
  check(node: CfnResource, index: StackIndex): NagRuleResult;
}
