import { Aws, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * In an env-agnostic stack, a CloudFormation `Rules` assertion that the stack
 * is deployed to `region`: anywhere else CloudFormation refuses the template
 * before it creates anything, with `description`. A stack bound to a region
 * gets nothing (its constructs check the region at synth).
 *
 * @internal
 */
export function requireDeployRegion(scope: Construct, id: string, region: string, description: string): void {
  if (Token.isUnresolved(Stack.of(scope).region)) {
    new CfnRule(scope, id, { assertions: [{ assert: Fn.conditionEquals(Aws.REGION, region), assertDescription: `cdk-aegis: ${description}` }] });
  }
}
