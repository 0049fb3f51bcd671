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
  info: 'The Lambda permission lets an AWS service invoke the function without SourceArn, or, for S3, without SourceAccount.',
  explanation:
    'Without them, any resource of that service, in any account, can make the service invoke your function (the confused-deputy ' +
    'problem). Set `sourceArn` to the exact resource (topic, rule, API method, bucket). S3 bucket ARNs name no account, so an S3 ' +
    'permission also needs `sourceAccount`; cdk-aegis constructs set both everywhere.',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof lambda.CfnPermission)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const principal = index.resolve(node.principal);
    if (typeof principal !== 'string' || !/\.amazonaws\.com(\.cn)?$/.test(principal)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const accountless = principal.startsWith('s3.');
    return node.sourceArn !== undefined && (!accountless || node.sourceAccount !== undefined)
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
