import { Annotations, ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { AcknowledgementCause } from '../../core/justification';
import { stackSingleton } from '../../core/private/stack-singleton';
import { acknowledgeWildcardResources } from '../../core/private/wildcard-findings';

/** Construct id of the per-stack API Gateway account settings. Public contract: do not rename. */
export const API_GATEWAY_ACCOUNT_ID = 'AegisApiGatewayAccount';
/** The log group name prefix API Gateway gives REST API execution logs. */
export const EXECUTION_LOG_PREFIX = 'API-Gateway-Execution-Logs_';
/** The log group name prefix cdk-aegis gives REST API access logs (so the account role can be scoped). */
export const ACCESS_LOG_PREFIX = 'API-Gateway-Access-Logs_';

/**
 * API Gateway's account-level CloudWatch Logs role for the stack's account and
 * region, without the AWS-managed `AmazonAPIGatewayPushToCloudWatchLogs`
 * policy: its customer-managed policy allows writing to the execution and
 * access log groups of REST APIs only (by their name prefixes). The role is
 * kept when the stack is deleted, so stacks that share the account setting
 * never break each other.
 *
 * @internal
 */
export class ApiGatewayAccountLogging extends Construct {
  /** The account settings resource a stage must wait for. */
  public readonly account: apigateway.CfnAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroupArn = (name: string) =>
      stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    const apiLogGroups = [logGroupArn(`${EXECUTION_LOG_PREFIX}*`), logGroupArn(`${ACCESS_LOG_PREFIX}*`)];
    const everyLogGroup = logGroupArn('*');

    const role = new iam.Role(this, 'CloudWatchRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'cdk-aegis: lets API Gateway write REST API execution and access logs of this account and region',
    });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const policy = new iam.ManagedPolicy(this, 'CloudWatchPolicy', {
      description: 'cdk-aegis: API Gateway execution and access logs only',
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteRestApiLogs',
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          resources: apiLogGroups,
        }),
        new iam.PolicyStatement({
          sid: 'ListLogGroups',
          actions: ['logs:DescribeLogGroups'],
          resources: [everyLogGroup],
        }),
      ],
    });
    policy.applyRemovalPolicy(RemovalPolicy.RETAIN);
    acknowledgeWildcardResources(
      policy,
      [...apiLogGroups, everyLogGroup],
      AcknowledgementCause.AWS_FORCED,
      'API Gateway uses one CloudWatch role for every REST API of the account and region, and names execution log groups ' +
        `${EXECUTION_LOG_PREFIX}<api-id>/<stage>; the name prefixes are the narrowest resources that serve every API. ` +
        'logs:DescribeLogGroups is authorized on log-group:* only (it lists, it cannot target one group).',
    );

    this.account = new apigateway.CfnAccount(this, 'Resource', { cloudWatchRoleArn: role.roleArn });
    Annotations.of(this).addWarningV2(
      '@cdk-aegis/api-gateway-account-role',
      'this stack sets API Gateway\'s CloudWatch role for its whole account and region. The role writes only to ' +
        `${EXECUTION_LOG_PREFIX}* and ${ACCESS_LOG_PREFIX}* log groups, so REST APIs not built with SecureApi must log there; ` +
        'if your platform manages this role, pass `configureAccountLogging: false`. Acknowledge this warning once you have checked.',
    );
    this.account.node.addDependency(policy);
  }
}

/**
 * The stack's API Gateway account settings, created on first use.
 *
 * @internal
 */
export function apiGatewayAccountLogging(scope: IConstruct): ApiGatewayAccountLogging {
  return stackSingleton(
    scope,
    API_GATEWAY_ACCOUNT_ID,
    "cdk-aegis's API Gateway account logging settings",
    (c) => c instanceof ApiGatewayAccountLogging,
    (stack) => new ApiGatewayAccountLogging(stack, API_GATEWAY_ACCOUNT_ID),
  );
}
