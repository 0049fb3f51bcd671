import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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
    '(SecureFunction does), or create the group Lambda writes to by that name (`/aws/lambda/<name>`; for Lambda@Edge ' +
    '`/aws/lambda/us-east-1.<name>`, as SecureEdgeFunction does).',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof lambda.CfnFunction)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const config = index.resolve(node.loggingConfig);
    const logGroup = index.referenced(config?.logGroup ?? config?.LogGroup, logs.CfnLogGroup.CFN_RESOURCE_TYPE_NAME) as logs.CfnLogGroup | undefined
      ?? (config === undefined ? defaultLogGroup(node, index) : undefined);
    return logGroup !== undefined && logGroup.kmsKeyId !== undefined && logGroup.retentionInDays !== undefined
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};

/**
 * The stack's log group named as Lambda names a function's logs when no
 * `LoggingConfig` chooses one: `/aws/lambda/<name>`, and for a Lambda@Edge
 * function (its role trusts `edgelambda.amazonaws.com`) the replicas' name
 * `/aws/lambda/us-east-1.<name>`. Only an explicit function name can match.
 */
function defaultLogGroup(fn: lambda.CfnFunction, index: StackIndex): logs.CfnLogGroup | undefined {
  if (fn.functionName === undefined) {
    return undefined;
  }
  const role = index.referenced(fn.role, iam.CfnRole.CFN_RESOURCE_TYPE_NAME) as iam.CfnRole | undefined;
  const edge = role !== undefined && JSON.stringify(index.resolve(role.assumeRolePolicyDocument) ?? {}).includes('edgelambda.amazonaws.com');
  const names = ['/aws/lambda/', ...(edge ? ['/aws/lambda/us-east-1.'] : [])].map((prefix) => JSON.stringify(index.resolve(`${prefix}${fn.functionName}`)));
  return index.ofType(logs.CfnLogGroup.CFN_RESOURCE_TYPE_NAME)
    .find((group) => names.includes(JSON.stringify(index.resolve((group as logs.CfnLogGroup).logGroupName)))) as logs.CfnLogGroup | undefined;
}
