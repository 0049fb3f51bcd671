import { App, CfnCondition, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { AegisChecks } from '../../src';
import { StackIndex } from '../../src/compliance/rules/stack-index';
import { plainSeedScenario } from '../fixtures/plain-seed-scenario';
import { CODE } from '../helpers/stacks';

/** `Aegis-<rule>[finding] @ path` for every violation of the Aegis pack in `stack`. */
function aegis(stack: Stack): string[] {
  return new AegisChecks().validateScope(stack).violations
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`))
    .sort();
}
const rulesOf = (stack: Stack) => [...new Set(aegis(stack).map((line) => line.replace(/ @ .*/, '')))].sort();
const fresh = () => new Stack(new App(), 'S');
const fn = (stack: Stack, id = 'Fn', props: Partial<lambda.FunctionProps> = {}) =>
  new lambda.Function(stack, id, { code: CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X, ...props });
/** A function that satisfies the Lambda rules, so a test isolates the rule it is about. */
function goodFn(stack: Stack, id = 'Fn', props: Partial<lambda.FunctionProps> = {}) {
  const key = new kms.Key(stack, `${id}Key`);
  const logGroup = new logs.LogGroup(stack, `${id}Logs`, { encryptionKey: key, retention: logs.RetentionDays.ONE_MONTH });
  return fn(stack, id, { environmentEncryption: key, logGroup, ...props });
}
const ofRule = (stack: Stack, rule: string) => aegis(stack).filter((line) => line.startsWith(`Aegis-${rule}`));

describe('Aegis-LAMBDA1: environment encrypted with a customer-managed key', () => {
  test('non-compliant: variables without a key', () => {
    const stack = fresh();
    fn(stack, 'Fn', { environment: { MODE: 'fast' } });
    expect(ofRule(stack, 'LAMBDA1')).toEqual(['Aegis-LAMBDA1 @ S/Fn/Resource']);
  });
  test('compliant: variables with a key, or no variables', () => {
    const stack = fresh();
    goodFn(stack, 'Encrypted', { environment: { MODE: 'fast' } });
    fn(stack, 'NoVariables');
    expect(ofRule(stack, 'LAMBDA1')).toEqual([]);
  });
});

describe('Aegis-LAMBDA2: no secret in the environment', () => {
  test('non-compliant: a token literal and a secretsmanager dynamic reference, each named', () => {
    const stack = fresh();
    const secret = new secretsmanager.Secret(stack, 'Secret');
    goodFn(stack, 'Fn', { environment: { GITHUB_TOKEN: 'ghp_0123456789abcdefghijABCDEFGHIJ012345', DB_PASSWORD: secret.secretValue.unsafeUnwrap(), MODE: 'fast' } });
    expect(ofRule(stack, 'LAMBDA2')).toEqual(['Aegis-LAMBDA2[Variable::DB_PASSWORD] @ S/Fn/Resource', 'Aegis-LAMBDA2[Variable::GITHUB_TOKEN] @ S/Fn/Resource']);
  });
  test('compliant: a secret ARN and plain configuration', () => {
    const stack = fresh();
    const secret = new secretsmanager.Secret(stack, 'Secret');
    goodFn(stack, 'Fn', { environment: { DB_SECRET_ARN: secret.secretArn, TIMEOUT_MILLIS: '2500', API_URL: 'https://api.example.com' } });
    expect(ofRule(stack, 'LAMBDA2')).toEqual([]);
  });
});

describe('Aegis-LAMBDA3: own log group with KMS and retention', () => {
  test('non-compliant: no log group, or one without KMS', () => {
    const stack = fresh();
    fn(stack, 'Default');
    fn(stack, 'Plain', { logGroup: new logs.LogGroup(stack, 'PlainLogs', { retention: logs.RetentionDays.ONE_MONTH }) });
    expect(ofRule(stack, 'LAMBDA3')).toEqual(['Aegis-LAMBDA3 @ S/Default/Resource', 'Aegis-LAMBDA3 @ S/Plain/Resource']);
  });
  test('compliant: an encrypted, retained log group of the stack', () => {
    const stack = fresh();
    goodFn(stack);
    expect(ofRule(stack, 'LAMBDA3')).toEqual([]);
  });
  test('the group Lambda writes to by name counts (`/aws/lambda/<name>`); the Lambda@Edge replicas\' name only for an edge function', () => {
    const stack = fresh();
    const key = new kms.Key(stack, 'Key');
    const group = (id: string, name: string) =>
      new logs.LogGroup(stack, id, { logGroupName: name, encryptionKey: key, retention: logs.RetentionDays.ONE_MONTH });
    fn(stack, 'Named', { functionName: 'named-fn' });
    group('NamedLogs', '/aws/lambda/named-fn');
    fn(stack, 'NotEdge', { functionName: 'not-edge-fn' });
    group('NotEdgeLogs', '/aws/lambda/us-east-1.not-edge-fn');
    const edgeRole = new iam.Role(stack, 'EdgeRole', {
      assumedBy: new iam.CompositePrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'), new iam.ServicePrincipal('edgelambda.amazonaws.com')),
    });
    fn(stack, 'Edge', { functionName: 'edge-fn', role: edgeRole });
    group('EdgeLogs', '/aws/lambda/us-east-1.edge-fn');
    expect(ofRule(stack, 'LAMBDA3')).toEqual(['Aegis-LAMBDA3 @ S/NotEdge/Resource']);
  });
});

describe('Aegis-LAMBDA4: service permissions name their source (and account, for S3)', () => {
  test('non-compliant: any SNS topic may invoke; any account\'s bucket with this name may invoke', () => {
    const stack = fresh();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const f = goodFn(stack);
    f.addPermission('FromAnyTopic', { principal: new iam.ServicePrincipal('sns.amazonaws.com') });
    f.addPermission('FromBucket', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceArn: bucket.bucketArn });
    expect(ofRule(stack, 'LAMBDA4')).toEqual(['Aegis-LAMBDA4 @ S/Fn/FromAnyTopic', 'Aegis-LAMBDA4 @ S/Fn/FromBucket']);
  });
  test('compliant: a topic ARN (which names its account), S3 with SourceAccount, CDK\'s API integrations, account principals', () => {
    const stack = fresh();
    const topic = new sns.Topic(stack, 'Topic');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const f = goodFn(stack);
    f.addPermission('FromTopic', { principal: new iam.ServicePrincipal('sns.amazonaws.com'), sourceArn: topic.topicArn });
    f.addPermission('FromBucket', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceArn: bucket.bucketArn, sourceAccount: stack.account });
    f.addPermission('FromAccount', { principal: new iam.AccountPrincipal('111122223333') });
    new apigateway.RestApi(stack, 'Api', { cloudWatchRole: false }).root.addMethod('GET', new apigateway.LambdaIntegration(f));
    expect(ofRule(stack, 'LAMBDA4')).toEqual([]);
  });
});

describe('Aegis-LAMBDA5: function URLs are authenticated', () => {
  test('non-compliant: AuthType NONE', () => {
    const stack = fresh();
    goodFn(stack).addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    expect(ofRule(stack, 'LAMBDA5')).toEqual(['Aegis-LAMBDA5 @ S/Fn/FunctionUrl/Resource']);
  });
  test('compliant: AWS_IAM', () => {
    const stack = fresh();
    goodFn(stack).addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    expect(ofRule(stack, 'LAMBDA5')).toEqual([]);
  });
});

describe('Aegis-IAM1: no wildcard action, NotAction, or * resource outside the allow-list', () => {
  test('non-compliant: each wildcard is its own finding, in inline, attached and managed policies', () => {
    const stack = fresh();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: [bucket.bucketArn] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    new iam.ManagedPolicy(stack, 'Managed', { statements: [new iam.PolicyStatement({ notActions: ['iam:*'], resources: [bucket.bucketArn] })] });
    new iam.CfnRolePolicy(stack, 'RolePolicy', {
      roleName: role.roleName,
      policyName: 'extra',
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', NotResource: bucket.bucketArn }] },
    });
    expect(ofRule(stack, 'IAM1')).toEqual([
      'Aegis-IAM1[Action::s3:*] @ S/Role/DefaultPolicy/Resource',
      'Aegis-IAM1[NotAction::iam:*] @ S/Managed/Resource',
      'Aegis-IAM1[NotResource] @ S/RolePolicy',
      'Aegis-IAM1[Resource::*] @ S/Role/DefaultPolicy/Resource',
    ]);
  });
  test('compliant: exact actions on ARNs, allow-listed actions on *, and Deny statements', () => {
    const stack = fresh();
    const bucket = new s3.Bucket(stack, 'Bucket');
    new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        Policy: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('incoming/*')] }),
            new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }),
            new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:*'], resources: ['*'] }),
          ],
        }),
      },
    });
    expect(ofRule(stack, 'IAM1')).toEqual([]);
  });
});

describe('Aegis-APIGW1: no data trace', () => {
  const api = (stack: Stack, dataTraceEnabled: boolean) => {
    const restApi = new apigateway.RestApi(stack, 'Api', { cloudWatchRole: false, deployOptions: { dataTraceEnabled, loggingLevel: apigateway.MethodLoggingLevel.INFO } });
    restApi.root.addMethod('GET', new apigateway.MockIntegration());
  };
  test('non-compliant: full request and response logging', () => {
    const stack = fresh();
    api(stack, true);
    expect(ofRule(stack, 'APIGW1')).toEqual(['Aegis-APIGW1 @ S/Api/DeploymentStage.prod/Resource']);
  });
  test('compliant: data trace off', () => {
    const stack = fresh();
    api(stack, false);
    expect(ofRule(stack, 'APIGW1')).toEqual([]);
  });
  test('an intrinsic it cannot read is not a finding (the rule never throws)', () => {
    const stack = fresh();
    const restApi = new apigateway.RestApi(stack, 'Api', { cloudWatchRole: false });
    restApi.root.addMethod('GET', new apigateway.MockIntegration());
    const condition = new CfnCondition(stack, 'Traced', { expression: Fn.conditionEquals('a', 'b') });
    (restApi.deploymentStage.node.defaultChild as apigateway.CfnStage).methodSettings = Fn.conditionIf(condition.logicalId, [], []) as any;
    expect(ofRule(stack, 'APIGW1')).toEqual([]);
  });
});

describe('Aegis-APIGW2: REST API stage behind a web ACL with a rate-based rule', () => {
  function stage(stack: Stack) {
    const restApi = new apigateway.RestApi(stack, 'Api', { cloudWatchRole: false });
    restApi.root.addMethod('GET', new apigateway.MockIntegration());
    return restApi.deploymentStage;
  }
  const webAcl = (stack: Stack, rules: wafv2.CfnWebACL.RuleProperty[]) => new wafv2.CfnWebACL(stack, 'Acl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'acl' },
    rules,
  });
  const rateRule: wafv2.CfnWebACL.RuleProperty = {
    name: 'Rate',
    priority: 0,
    action: { block: {} },
    statement: { rateBasedStatement: { limit: 100, aggregateKeyType: 'IP' } },
    visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'rate' },
  };
  test('non-compliant: no web ACL, or one without a rate-based rule', () => {
    const bare = fresh();
    stage(bare);
    expect(ofRule(bare, 'APIGW2')).toEqual(['Aegis-APIGW2 @ S/Api/DeploymentStage.prod/Resource']);
    const noRate = fresh();
    new wafv2.CfnWebACLAssociation(noRate, 'Assoc', { webAclArn: webAcl(noRate, []).attrArn, resourceArn: stage(noRate).stageArn });
    expect(ofRule(noRate, 'APIGW2')).toEqual(['Aegis-APIGW2 @ S/Api/DeploymentStage.prod/Resource']);
  });
  test('compliant: a rate-limited web ACL of the stack, or a web ACL managed elsewhere', () => {
    const stack = fresh();
    new wafv2.CfnWebACLAssociation(stack, 'Assoc', { webAclArn: webAcl(stack, [rateRule]).attrArn, resourceArn: stage(stack).stageArn });
    expect(ofRule(stack, 'APIGW2')).toEqual([]);
    // A web ACL on stage `prod` does not protect stage `production`.
    const other = fresh();
    const production = new apigateway.RestApi(other, 'Api', { cloudWatchRole: false, deployOptions: { stageName: 'production' } });
    production.root.addMethod('GET', new apigateway.MockIntegration());
    new wafv2.CfnWebACLAssociation(other, 'Assoc', {
      webAclArn: webAcl(other, [rateRule]).attrArn,
      resourceArn: `arn:aws:apigateway:eu-west-1::/restapis/${production.restApiId}/stages/prod`,
    });
    expect(ofRule(other, 'APIGW2')).toEqual(['Aegis-APIGW2 @ S/Api/DeploymentStage.production/Resource']);
    const external = fresh();
    new wafv2.CfnWebACLAssociation(external, 'Assoc', { webAclArn: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/org/abc', resourceArn: stage(external).stageArn });
    expect(ofRule(external, 'APIGW2')).toEqual([]);
  });
});

describe('Aegis-APIGW3 and APIGW4: custom domains', () => {
  function mapped(stack: Stack, securityPolicy: apigateway.SecurityPolicy, disableExecuteApiEndpoint: boolean) {
    const restApi = new apigateway.RestApi(stack, 'Api', { cloudWatchRole: false, disableExecuteApiEndpoint });
    restApi.root.addMethod('GET', new apigateway.MockIntegration());
    restApi.addDomainName('Domain', {
      domainName: 'api.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc'),
      securityPolicy,
      endpointType: apigateway.EndpointType.REGIONAL,
    });
  }
  test('non-compliant: TLS 1.0 allowed, and the execute-api endpoint still on', () => {
    const stack = fresh();
    mapped(stack, apigateway.SecurityPolicy.TLS_1_0, false);
    expect([...ofRule(stack, 'APIGW3'), ...ofRule(stack, 'APIGW4')]).toEqual(['Aegis-APIGW3 @ S/Api/Domain/Resource', 'Aegis-APIGW4 @ S/Api/Resource']);
  });
  test('compliant: TLS 1.2 and the domain as the only way in; an API without a domain is not concerned', () => {
    const stack = fresh();
    mapped(stack, apigateway.SecurityPolicy.TLS_1_2, true);
    new apigateway.RestApi(stack, 'Internal', { cloudWatchRole: false }).root.addMethod('GET', new apigateway.MockIntegration());
    expect([...ofRule(stack, 'APIGW3'), ...ofRule(stack, 'APIGW4')]).toEqual([]);
  });
});

describe('Aegis-SQS1: queue visibility timeout at least 6 × the consumer timeout', () => {
  test('non-compliant: the default 30 s against a 10 s function', () => {
    const stack = fresh();
    goodFn(stack, 'Fn', { timeout: Duration.seconds(10) }).addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, 'Queue')));
    expect(ofRule(stack, 'SQS1')).toEqual(['Aegis-SQS1 @ S/Fn/SqsEventSource:SQueue229CFA3F/Resource']);
  });
  test('compliant: 60 s against a 10 s function', () => {
    const stack = fresh();
    goodFn(stack, 'Fn', { timeout: Duration.seconds(10) }).addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(60) })));
    expect(ofRule(stack, 'SQS1')).toEqual([]);
  });
});

describe('Aegis-WAF1: web ACLs log', () => {
  const acl = (stack: Stack) => new wafv2.CfnWebACL(stack, 'Acl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'acl' },
  });
  test('non-compliant: no logging configuration', () => {
    const stack = fresh();
    acl(stack);
    expect(ofRule(stack, 'WAF1')).toEqual(['Aegis-WAF1 @ S/Acl']);
  });
  test('compliant: a logging configuration for it', () => {
    const stack = fresh();
    new wafv2.CfnLoggingConfiguration(stack, 'Logging', { resourceArn: acl(stack).attrArn, logDestinationConfigs: ['arn:aws:logs:eu-west-1:111122223333:log-group:aws-waf-logs-x'] });
    expect(ofRule(stack, 'WAF1')).toEqual([]);
  });
});

describe('the plain-L2 seed scenario (upload → function → table)', () => {
  test('fails the rules it should, by id', () => {
    const stack = fresh();
    plainSeedScenario(stack);
    // Environment without a customer-managed key, no own log group, and the L2 read grant's wildcard actions.
    expect(rulesOf(stack)).toEqual([
      'Aegis-IAM1[Action::s3:GetBucket*]',
      'Aegis-IAM1[Action::s3:GetObject*]',
      'Aegis-IAM1[Action::s3:List*]',
      'Aegis-LAMBDA1',
      'Aegis-LAMBDA3',
    ]);
  });
});

describe('the stack index', () => {
  test('is built once per stack and validation run, however many resources look across the stack', () => {
    const app = new App();
    for (const name of ['A', 'B']) {
      const stack = new Stack(app, name);
      for (let i = 0; i < 5; i++) {
        goodFn(stack, `Fn${i}`, { timeout: Duration.seconds(5) }).addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, `Queue${i}`)));
      }
    }
    const build = jest.spyOn(StackIndex, 'build');
    try {
      new AegisChecks().validateScope(app);
      expect(build).toHaveBeenCalledTimes(2);
    } finally {
      build.mockRestore();
    }
  });
});
