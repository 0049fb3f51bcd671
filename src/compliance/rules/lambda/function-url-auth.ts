import { CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** A function URL requires IAM authentication. */
export const LAMBDA_FUNCTION_URL_AUTH: AegisRule = {
  id: 'LAMBDA5',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Lambda::Url'],
  info: 'The Lambda function URL has AuthType NONE: anyone on the internet can invoke the function.',
  explanation:
    'A function URL with `AuthType: NONE` has no authentication, no WAF, no throttling and no request validation. Use ' +
    '`FunctionUrlAuthType.AWS_IAM`, or put the function behind a SecureApi.',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof lambda.CfnUrl)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return index.resolve(node.authType) === 'NONE' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
