import { Duration, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Compliance, Monitoring, SecureFunction, SecureFunctionProps, SecurityProfile, Toggle } from '../../src';
import { compliantVpc } from '../fixtures/compliant-vpc';
import { asArray, iamStatements } from '../helpers/iam';
import { CODE, enforcedStack, plainStack } from '../helpers/stacks';
import { findingLines, newApp, synthesize } from '../helpers/synth';

/** A default function in a plain (not enforced) app: template assertions need no rule pack run. */
function baseline(props: Partial<SecureFunctionProps> = {}) {
  const { app, stack } = plainStack();
  const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler', ...props });
  return { app, stack, fn };
}

function regulated(props: Partial<SecureFunctionProps> = {}) {
  const { app, stack } = enforcedStack(SecurityProfile.REGULATED);
  const vpc = compliantVpc(stack);
  const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler', vpc, reservedConcurrentExecutions: 5, ...props });
  return { app, stack, fn, vpc };
}


describe('SecureFunction defaults', () => {
  test('runs the newest Node.js runtime with an explicit timeout and memory size', () => {
    const { stack } = baseline();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Timeout: 10,
      MemorySize: 256,
    });
  });

  test('traces with X-Ray and logs JSON to its own encrypted, retained log group', () => {
    const { stack } = baseline();
    const template = Template.fromStack(stack);
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    const logGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup'))[0];
    template.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logGroupId } },
      KmsKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 90 },
      DeletionPolicy: 'Retain',
    });
  });

  test('sends failed asynchronous events to a KMS-encrypted, TLS-only dead-letter queue', () => {
    const { stack, fn } = baseline();
    const template = Template.fromStack(stack);
    const queueId = stack.getLogicalId(fn.deadLetterQueue!.node.defaultChild as any);
    template.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue(), MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('has its own role with no AWS-managed policy and log permissions on its own log group only', () => {
    const { stack, fn } = baseline();
    const template = Template.fromStack(stack);
    const roles = template.findResources('AWS::IAM::Role');
    expect(Object.keys(roles)).toHaveLength(1);
    const role: any = Object.values(roles)[0];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
    const logGroupId = stack.getLogicalId(fn.logGroup.node.defaultChild as any);
    const logStatements = iamStatements(template).filter(({ statement }) => asArray(statement.Action).some((a) => String(a).startsWith('logs:')));
    expect(logStatements.map((s) => s.statement)).toEqual([
      { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
    ]);
  });

  test('writes no IAM wildcard except the X-Ray actions, alone in their own acknowledged policy', () => {
    const { stack, fn } = baseline();
    fn.addSecret('VENDOR', new secretsmanager.Secret(stack, 'Vendor'));
    const template = Template.fromStack(stack);
    const wildcards = iamStatements(template).filter(({ statement }) =>
      [...asArray(statement.Action), ...asArray(statement.Resource)].some((v) => typeof v === 'string' && v.includes('*')));
    const xrayPolicy = Object.keys(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('X-Ray') } }));
    expect(xrayPolicy).toHaveLength(1);
    expect(wildcards).toEqual([
      { owner: xrayPolicy[0], statement: { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' } },
    ]);
  });

  test('restricts its own use of the KMS key to SQS in this account', () => {
    const { stack } = baseline();
    const kmsStatements = iamStatements(Template.fromStack(stack)).filter(({ statement }) => asArray(statement.Action).some((a) => String(a).startsWith('kms:')));
    expect(kmsStatements).toHaveLength(1);
    expect(kmsStatements[0].statement.Condition.StringEquals).toEqual({
      'kms:ViaService': { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      'kms:CallerAccount': { Ref: 'AWS::AccountId' },
    });
  });

  test('shares one stack key, one X-Ray policy and nothing else between functions', () => {
    const { stack } = baseline();
    new SecureFunction(stack, 'Second', { code: CODE, handler: 'index.handler' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template.resourceCountIs('AWS::IAM::Role', 2);
    // One dead-letter queue per function, and the stack's security-change rules' one.
    expect(Object.keys(template.findResources('AWS::SQS::Queue')).sort()).toEqual([
      'AegisMonitoringSecurityChangesDeadLetterQueue4C66609C', 'FnDeadLetterQueue48721F4D', 'SecondDeadLetterQueueB93EEAB8',
    ]);
    expect(Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))[0].Properties.Roles).toHaveLength(2);
  });

  test('uses the key it is given instead of the stack key', () => {
    const { stack } = plainStack();
    const key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true });
    // The stack's alarms go to the team's topic, encrypted with the same key: nothing needs the stack key.
    Monitoring.of(stack).useTopic(new sns.Topic(stack, 'OnCall', { masterKey: key }));
    new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler', encryptionKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { KmsKeyArn: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] } });
  });

  test('keeps the logical ids of a default function stable', () => {
    const { stack } = baseline();
    expect(Object.keys(Template.fromStack(stack).toJSON().Resources).sort()).toEqual([
      'AegisEncryptionKey96B6F9C4',
      'AegisMonitoringAlarmTopicC0CA175A',
      'AegisMonitoringAlarmTopicPolicyE86CD31F',
      'AegisMonitoringDeadLetterQueues3E5F127C',
      'AegisMonitoringFunctionDuration613B5187',
      'AegisMonitoringFunctionErrorsCCE85550',
      'AegisMonitoringRuleDeadLetterFailures8CF998D2',
      'AegisMonitoringRuleFailedInvocations4822AE6D',
      'AegisMonitoringSecurityChangesDeadLetterQueue4C66609C',
      'AegisMonitoringSecurityChangesDeadLetterQueuePolicy9083D67A',
      'AegisMonitoringSecurityChangesFunctions45B1E6A5',
      'AegisMonitoringSecurityChangesKeys20149CA0',
      'AegisXRayWriteAccess022399A5',
      'Fn9270CBC0',
      'FnDeadLetterQueue48721F4D',
      'FnDeadLetterQueuePolicyAF90561A',
      'FnLogGroup27CC2AC8',
      'FnServiceRoleB9001A96',
    ]);
  });

  test('lets grants land in its own policy, not in a separate default policy', () => {
    const { stack, fn } = baseline();
    const bucket = new s3.Bucket(stack, 'Bucket');
    bucket.grantPut(fn);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [{ PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:PutObject']) })]) } }],
    });
  });
});

describe('SecureFunction compliance', () => {
  test('default configuration gives zero findings in AwsSolutions and Serverless (BASELINE)', () => {
    const { app, stack } = enforcedStack();
    new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(Compliance.of(app).packNames).toEqual(['AwsSolutions', 'Serverless', 'Aegis']);
  });

  test('REGULATED with a VPC and reserved concurrency gives zero findings in all five packs', () => {
    const { app } = regulated();
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(Compliance.of(app).packNames).toEqual(['AwsSolutions', 'Serverless', 'Aegis', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']);
  });

  test('REGULATED puts permissions in a customer-managed policy, not an inline one', () => {
    const { stack, fn } = regulated();
    const template = Template.fromStack(stack);
    const roleId = stack.getLogicalId(fn.role!.node.defaultChild as any);
    expect(template.toJSON().Resources[roleId].Properties.Policies).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] })]) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 5,
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('REGULATED: the VPC permissions stand alone in one acknowledged policy the function waits for', () => {
    const { stack, fn } = regulated();
    const template = Template.fromStack(stack);
    const [vpcPolicyId] = Object.keys(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('VPC') } }));
    expect(template.toJSON().Resources[vpcPolicyId].Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Resource: '*', Action: expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']) }),
    ]);
    template.hasResource('AWS::Lambda::Function', { DependsOn: Match.arrayWith([vpcPolicyId]) });
    // Only the function waits for it: the role does not (that would be a dependency cycle).
    expect(template.toJSON().Resources[stack.getLogicalId(fn.role!.node.defaultChild as any)].DependsOn ?? []).not.toContain(vpcPolicyId);
  });

  test('an error finding in a plain L2 resource anywhere in the app fails synth', () => {
    const { app, stack } = enforcedStack();
    new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    new lambda.Function(stack, 'Plain', { code: CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_20_X });
    const result = synthesize(app);
    expect(result.error?.message).toMatch(/Acknowledge with 'AwsSolutions::AwsSolutions-L1'/);
    expect(result.findings.filter((f) => f.paths.every((p) => p.startsWith('TestStack/Plain')))).not.toHaveLength(0);
    expect(result.findings.flatMap((f) => f.paths).filter((p) => p.startsWith('TestStack/Fn/'))).toEqual([]);
  });
});

describe('SecureFunction opt-outs', () => {
  test.each([
    ['tracing', 'Serverless-LambdaTracing'],
    ['deadLetterQueue', 'Serverless-LambdaDLQ'],
  ])('%s off is acknowledged on that function only; a plain function beside it still fails', (control, rule) => {
    const { app, stack } = enforcedStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler', [control]: Toggle.off({ reason: 'handled by the platform team' }) });
    new lambda.Function(stack, 'Plain', {
      code: CODE,
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      timeout: Duration.seconds(3),
      memorySize: 256,
    });
    const result = synthesize(app);
    const ours = result.acknowledged.filter((a) => a.rule === rule);
    expect(ours.map((a) => [a.paths, a.acknowledgedAt, a.reason])).toEqual([
      [['TestStack/Fn/Resource'], 'TestStack/Fn', `cdk-aegis (opt-out): ${control} off: handled by the platform team`],
    ]);
    expect(result.findings.filter((f) => f.rule === rule).flatMap((f) => f.paths)).toEqual(['TestStack/Plain/Resource']);
    const warnings = fn.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^${control} is off \\(handled by the platform team\\); acknowledged rules: .*${rule}.* \\[ack: @cdk-aegis/opt-out:${control}\\]$`))]);
  });

  test('the opt-out warning carries a stable id', () => {
    const { stack } = baseline({ tracing: Toggle.off({ reason: 'traced by a third-party agent' }) });
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp('@cdk-aegis/opt-out:tracing'));
  });

  test('tracing off removes the tracing config and the X-Ray policy', () => {
    const { stack } = baseline({ tracing: Toggle.off({ reason: 'traced by a third-party agent' }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: Match.absent() });
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  test('dead-letter queue off removes the queue and its permissions', () => {
    const { stack, fn } = baseline({ deadLetterQueue: Toggle.off({ reason: 'only invoked synchronously by the API' }) });
    const template = Template.fromStack(stack);
    // Only the stack's security-change rules' dead-letter queue.
    expect(Object.keys(template.findResources('AWS::SQS::Queue'))).toEqual(['AegisMonitoringSecurityChangesDeadLetterQueue4C66609C']);
    template.hasResourceProperties('AWS::Lambda::Function', { DeadLetterConfig: Match.absent() });
    expect(fn.deadLetterQueue).toBeUndefined();
  });

  test('Toggle.on() keeps the control', () => {
    const { stack } = baseline({ tracing: Toggle.on(), deadLetterQueue: Toggle.on() });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' }, DeadLetterConfig: Match.anyValue() });
  });
});

describe('SecureFunction secrets', () => {
  test('injects the ARN, never the value, and grants read on exactly that secret', () => {
    const { stack } = plainStack();
    const secret = new secretsmanager.Secret(stack, 'Vendor', { encryptionKey: new kms.Key(stack, 'SecretKey', { enableKeyRotation: true }) });
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler', secrets: { VENDOR_API: secret } });
    const template = Template.fromStack(stack);
    const secretId = stack.getLogicalId(secret.node.defaultChild as any);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { VENDOR_API_SECRET_ARN: { Ref: secretId } } } });
    const statements = iamStatements(template).map((s) => s.statement);
    expect(statements).toContainEqual({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: secretId } });
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'kms:Decrypt',
      Condition: { StringEquals: expect.objectContaining({ 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } }) },
    }));
    // The key policy does not name the function's role (no growth per function, no dependency cycle).
    const roleId = stack.getLogicalId(fn.role!.node.defaultChild as any);
    expect(JSON.stringify(template.toJSON().Resources[stack.getLogicalId(fn.encryptionKey.node.defaultChild as any)])).not.toContain(roleId);
  });

  test('a secret imported by name is matched with its random suffix', () => {
    const { stack, fn } = baseline();
    fn.addSecret('DB', secretsmanager.Secret.fromSecretNameV2(stack, 'Db', 'prod/db'));
    const statements = iamStatements(Template.fromStack(stack)).map((s) => s.statement);
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: { 'Fn::Join': ['', expect.arrayContaining([':secret:prod/db-??????'])] },
    }));
  });

  test('the Parameters and Secrets extension is opt-in', () => {
    const off = baseline();
    Template.fromStack(off.stack).hasResourceProperties('AWS::Lambda::Function', { Layers: Match.absent() });
    const on = baseline({ parametersAndSecretsExtension: true });
    Template.fromStack(on.stack).hasResourceProperties('AWS::Lambda::Function', {
      Layers: Match.anyValue(),
      Environment: { Variables: Match.objectLike({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773' }) },
    });
  });
});

describe('SecureFunction validation', () => {
  test.each([0, 901, 1200])('fails when `timeout` is %d seconds', (seconds) => {
    expect(() => baseline({ timeout: Duration.seconds(seconds) })).toThrow(`\`timeout\` must be between 1 and 900 seconds, got: ${seconds}.`);
  });

  test.each([1, 900])('accepts a `timeout` of %d seconds', (seconds) => {
    expect(() => baseline({ timeout: Duration.seconds(seconds) })).not.toThrow();
  });

  test.each([64, 127, 10241, 300.5])('fails when `memorySize` is %d', (memorySize) => {
    expect(() => baseline({ memorySize })).toThrow(`\`memorySize\` must be a whole number of MB between 128 and 10240, got: ${memorySize}.`);
  });

  test('fails when `reservedConcurrentExecutions` is 0', () => {
    expect(() => baseline({ reservedConcurrentExecutions: 0 })).toThrow('`reservedConcurrentExecutions` must be a whole number of at least 1');
  });

  test.each(['tracing', 'deadLetterQueue'])('fails when the `%s` opt-out reason is too short', (control) => {
    expect(() => baseline({ [control]: Toggle.off({ reason: 'because' }) })).toThrow(
      `\`${control}\` opt-out needs a reason of at least 10 characters, got: "because".`,
    );
  });

  test('fails when REGULATED has neither `vpc` nor `reservedConcurrentExecutions`, naming both', () => {
    const { stack } = enforcedStack(SecurityProfile.REGULATED);
    expect(() => new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' })).toThrow(
      'the REGULATED profile requires `vpc` and `reservedConcurrentExecutions`',
    );
  });

  test('fails when REGULATED misses only `reservedConcurrentExecutions`', () => {
    const { stack } = enforcedStack(SecurityProfile.REGULATED);
    expect(() => new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler', vpc: compliantVpc(stack) })).toThrow(
      /requires `reservedConcurrentExecutions` \(/,
    );
  });

  test('fails when `logRetention` is INFINITE', () => {
    expect(() => baseline({ logRetention: logs.RetentionDays.INFINITE })).toThrow('`logRetention` must be a bounded retention, got: INFINITE.');
  });

  test('fails when REGULATED `logRetention` is under a year', () => {
    expect(() => regulated({ logRetention: logs.RetentionDays.SIX_MONTHS })).toThrow(
      '`logRetention` must be at least 365 days under the REGULATED profile, got: 180.',
    );
  });

  test('fails when `vpcSubnets` is given without `vpc`', () => {
    expect(() => baseline({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } })).toThrow('`vpcSubnets` and `securityGroups` need `vpc`');
  });

  test('fails when an environment value is a plain-text secret, pointing to `secrets`', () => {
    expect(() => baseline({ environment: { DB_PASSWORD: 'correct-horse-battery' } })).toThrow(
      /`environment.DB_PASSWORD` looks like a secret: its name says it holds a secret.*pass it with `secrets: \{ NAME: secret \}`/,
    );
  });

  test('fails when an environment value unwraps a Secrets Manager value', () => {
    const { stack } = plainStack();
    const secret = new secretsmanager.Secret(stack, 'S');
    expect(() => new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler', environment: { CONFIG: secret.secretValue.unsafeUnwrap() } })).toThrow(
      /`environment.CONFIG` looks like a secret: it embeds a `\{\{resolve:secretsmanager:...\}\}` dynamic reference/,
    );
  });

  test('fails when addEnvironment adds a secret after construction', () => {
    const { fn } = baseline();
    expect(() => fn.addEnvironment('GITHUB', 'ghp_' + 'a'.repeat(36))).toThrow(/`environment.GITHUB` looks like a secret: its value looks like a GitHub token/);
  });

  test('reports every problem of one function together', () => {
    expect(() => baseline({ timeout: Duration.seconds(0), memorySize: 1, environment: { API_KEY: 'abc123abc123' } })).toThrow(
      /TestStack\/Fn: 3 problems:\n {2}- `timeout`.*\n {2}- `memorySize`.*\n {2}- `environment.API_KEY`/,
    );
  });

  test.each(['1BAD', 'has-dash', ''])('fails when a secret name is %p', (name) => {
    const { stack, fn } = baseline();
    expect(() => fn.addSecret(name, secretsmanager.Secret.fromSecretNameV2(stack, 'X', 'x'))).toThrow('secret name must be letters, digits and `_`');
  });

  test('fails when `secrets` has an invalid key or clashes with `environment`', () => {
    const { stack } = plainStack();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'X', 'x');
    expect(() => new SecureFunction(stack, 'Bad', { code: CODE, handler: 'h', secrets: { 'a-b': secret } })).toThrow('`secrets` key must be letters');
    expect(() => new SecureFunction(stack, 'Clash', { code: CODE, handler: 'h', secrets: { DB: secret }, environment: { DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x' } })).toThrow(
      '`environment.DB_SECRET_ARN` clashes with the variable `secrets.DB` sets',
    );
  });

  test('fails when the same secret name is added twice', () => {
    const { stack, fn } = baseline();
    fn.addSecret('DB', secretsmanager.Secret.fromSecretNameV2(stack, 'A', 'a'));
    expect(() => fn.addSecret('DB', secretsmanager.Secret.fromSecretNameV2(stack, 'B', 'b'))).toThrow('secret name "DB" is already used');
  });

  test('does not reject unresolved tokens', () => {
    expect(() => baseline({
      timeout: Duration.seconds(Lazy.number({ produce: () => 2000 })),
      memorySize: Lazy.number({ produce: () => 1 }),
      reservedConcurrentExecutions: Lazy.number({ produce: () => 0 }),
      environment: { DB_PASSWORD: Fn.importValue('SharedDbPasswordParameterName'), TABLE: Lazy.string({ produce: () => 'orders' }) },
    })).not.toThrow();
  });

  test('holds a token timeout to its resolved value in the duration alarm', () => {
    const { stack } = baseline({ timeout: Duration.seconds(Lazy.number({ produce: () => 20 })) });
    const [alarm] = Object.entries<any>(Template.fromStack(stack).toJSON().Resources)
      .filter(([id]) => id.startsWith('AegisMonitoringFunctionDuration')).map(([, r]) => r.Properties);
    expect(alarm.Threshold).toBe(16000);
    expect(alarm.Metrics[1].Expression).toBe('MAX([m0])');
  });
});

describe('profile', () => {
  test('fails when enforce() changes the profile after a construct was built', () => {
    const app = newApp();
    const stack = new Stack(app, 'S');
    new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    expect(() => Compliance.of(app).enforce({ profile: SecurityProfile.REGULATED })).toThrow(
      /was called after a cdk-aegis construct was built under BASELINE in `S`\. Call `enforce\(\)` right after creating the App/,
    );
  });
});
