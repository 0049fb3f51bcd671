import { CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** A permission for an AWS service to invoke a function names the source resource and account. */
export const LAMBDA_PERMISSION_SOURCE: AegisRule = {
  id: 'LAMBDA4',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Lambda::Permission'],
  info: 'The Lambda permission lets an AWS service invoke the function without both SourceArn and SourceAccount.',
  explanation:
    'Without them, any resource of that service, in any account, can make the service invoke your function (the confused-deputy ' +
    'problem). Set `sourceArn` to the exact resource (topic, rule, bucket, API method) and `sourceAccount` to your account.',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof lambda.CfnPermission)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const principal = index.resolve(node.principal);
    if (typeof principal !== 'string' || !principal.endsWith('.amazonaws.com')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return node.sourceArn !== undefined && node.sourceAccount !== undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
