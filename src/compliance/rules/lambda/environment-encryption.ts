import { CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** A function with environment variables encrypts them with a customer-managed key. */
export const LAMBDA_ENVIRONMENT_ENCRYPTION: AegisRule = {
  id: 'LAMBDA1',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Lambda::Function'],
  info: 'The Lambda function has environment variables but no customer-managed KMS key for them.',
  explanation:
    'Without `KmsKeyArn`, Lambda encrypts the environment with an AWS-managed key that every principal allowed to read the ' +
    'function configuration can use, and that you cannot rotate, audit or revoke. Set `environmentEncryption` to your key ' +
    '(SecureFunction uses the stack key).',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof lambda.CfnFunction)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const environment = index.resolve(node.environment);
    const variables = environment?.variables ?? environment?.Variables;
    if (!variables || Object.keys(variables).length === 0) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return node.kmsKeyArn === undefined ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
