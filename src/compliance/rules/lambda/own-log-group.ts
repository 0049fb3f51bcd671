import { CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** A function logs to its own log group, encrypted with KMS and with a retention. */
export const LAMBDA_OWN_LOG_GROUP: AegisRule = {
  id: 'LAMBDA3',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Lambda::Function'],
  info: 'The Lambda function does not log to a log group of this stack that is KMS-encrypted and has a retention.',
  explanation:
    'Without `LoggingConfig.LogGroup`, Lambda creates `/aws/lambda/<name>` itself: unencrypted, kept forever, and outside the ' +
    'template. Create a log group with `encryptionKey` and `retention`, and pass it as the function\'s `logGroup` ' +
    '(SecureFunction does).',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof lambda.CfnFunction)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const config = index.resolve(node.loggingConfig);
    const logGroup = index.referenced(config?.logGroup ?? config?.LogGroup, logs.CfnLogGroup.CFN_RESOURCE_TYPE_NAME) as logs.CfnLogGroup | undefined;
    return logGroup !== undefined && logGroup.kmsKeyId !== undefined && logGroup.retentionInDays !== undefined
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
