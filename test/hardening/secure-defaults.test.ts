import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, IPropertyInjector, PropertyInjectors, RemovalPolicy, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { BucketReplication, Compliance, SecurityProfile, HardenedConstruct, HardeningControl, HardeningSkip, SecureBucket, SecureDefaults, SecureFunction, SecureQueue, SecureTable } from '../../src';
import { typicalSeedsApp } from '../fixtures/typical-seeds-app';
import { DEPLOYMENT_SETTINGS, DeploymentSetting } from '../helpers/matrix';
import { newApp, synthesize } from '../helpers/synth';

const KEY = { 'Fn::GetAtt': [Match.stringLikeRegexp('^AegisEncryptionKey'), 'Arn'] };

/** Every covered construct, written as teams write them (no security props). */
function plainStores(stack: Stack): void {
  new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  new dynamodb.TableV2(stack, 'TableV2', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  new sqs.Queue(stack, 'Queue');
  new sns.Topic(stack, 'Topic');
  new secretsmanager.Secret(stack, 'Secret');
  new logs.LogGroup(stack, 'Logs');
  new s3.Bucket(stack, 'Bucket');
}

/** The hardening records in a stack's metadata, by construct id. */
function records(stack: Stack): Record<string, any> {
  const found: Record<string, any> = {};
  for (const c of stack.node.findAll()) {
    for (const entry of c.node.metadata.filter((m) => m.type === SecureDefaults.METADATA_TYPE)) {
      found[`${c.node.path}/${(entry.data as any).id}`] = entry.data;
    }
  }
  return found;
}

describe('SecureDefaults', () => {
  test('fills the secure defaults of every covered store: the stack key, TLS only, recovery, deletion protection, retention', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    // Bound to a region: a TableV2 names its key per replica region.
    const stack = new Stack(app, 'Plain', { env: { account: '123456789012', region: 'eu-west-1' } });
    plainStores(stack);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [Match.objectLike({
        SSESpecification: { KMSMasterKeyId: KEY },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      })],
    });
    // Queues and topics take the stack key (the services their policies admit are let use it: see the next test).
    t.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: KEY,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QueueDeadLetterQueue'), 'Arn'] }, maxReceiveCount: 5 },
    });
    t.hasResourceProperties('AWS::SQS::QueuePolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: KEY });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
    t.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: KEY });
    // The log group's retention stays aws-cdk-lib's two-year default: a shorter one would delete existing logs on deploy.
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: KEY, RetentionInDays: 731 });
    t.hasResourceProperties('AWS::S3::Bucket', {
      // S3's default encryption (SSE-S3): a KMS key would break the buckets AWS services write or serve.
      BucketEncryption: Match.absent(),
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^AegisAccessLogsBucket') } },
    });
    // The stack's access-log bucket lets S3 deliver exactly this bucket's logs.
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^AegisAccessLogsBucket') },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Bucket'), 'Arn'] }] } }) })]) },
    });
    const hardened = records(stack);
    expect(Object.keys(hardened).sort()).toEqual(['Plain/Bucket', 'Plain/Logs', 'Plain/Queue', 'Plain/Secret', 'Plain/Table', 'Plain/TableV2', 'Plain/Topic']);
    expect(hardened['Plain/Table'].added.map((a: any) => a.control)).toEqual([
      HardeningControl.TABLE_ENCRYPTION, HardeningControl.TABLE_POINT_IN_TIME_RECOVERY, HardeningControl.TABLE_DELETION_PROTECTION,
    ]);
    expect(hardened['Plain/Secret'].decide).toEqual([{ what: 'rotation', how: expect.stringContaining('addRotationSchedule') }]);
  });

  test('functions: own encrypted log group and a role that writes only there, encrypted environment, tracing, dead-letter queue, limits', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    const stack = new Stack(app, 'Fns');
    new lambda.Function(stack, 'Fn', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X, environment: { MODE: 'fast' } });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 10,
      MemorySize: 256,
      KmsKeyArn: KEY,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^FnLogGroup') } },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnDeadLetterQueue'), 'Arn'] } },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: KEY, RetentionInDays: 90 });
    t.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: KEY });
    // No AWSLambdaBasicExecutionRole (logs on *): logs to its own group only; X-Ray's * in the stack's shared, acknowledged policy.
    t.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' }] },
      Roles: [{ Ref: Match.stringLikeRegexp('^FnServiceRole') }],
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnLogGroup'), 'Arn'] } }]) },
    });
    expect(JSON.stringify(t.toJSON())).not.toContain('AWSLambdaBasicExecutionRole');
    const record = records(stack)['Fns/Fn'];
    expect(record.added.map((a: any) => a.control)).toEqual([
      HardeningControl.FUNCTION_LIMITS, HardeningControl.FUNCTION_LIMITS, HardeningControl.FUNCTION_ENCRYPTION, HardeningControl.FUNCTION_LOGS,
      HardeningControl.FUNCTION_LOGS, HardeningControl.FUNCTION_TRACING, HardeningControl.FUNCTION_DEAD_LETTER_QUEUE,
    ]);
    expect(record.decide).toEqual([{ what: 'runtime', how: expect.stringMatching(/^nodejs22\.x is pinned; move to nodejs\d+\.x/) }]);
  });

  test('functions: an explicit role, log retention, tracing or dead-letter choice stays', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    const stack = new Stack(app, 'Kept');
    const role = new iam.Role(stack, 'Shared', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new lambda.Function(stack, 'Fn', {
      code: lambda.Code.fromInline('x'),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      role,
      tracing: lambda.Tracing.DISABLED,
      deadLetterQueueEnabled: false,
      timeout: Duration.seconds(30),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::Function', { Timeout: 30, TracingConfig: Match.absent(), DeadLetterConfig: Match.absent() });
    const record = records(stack)['Kept/Fn'];
    expect(record.kept.map((k: any) => `${k.prop}: ${k.value}`)).toEqual(['tracing: Disabled', 'deadLetterQueueEnabled: false']);
    // Its own log group, but the role is the app's: not rewritten.
    expect(record.added.map((a: any) => a.what)).toContain('its own log group (the stack key, 90 days)');
    expect(record.added.map((a: any) => a.what)).not.toContain('a role that writes logs to that group only (no AWSLambdaBasicExecutionRole)');
    expect(record.decide).toEqual([]);
  });

  test('never overrides an explicit value: an insecure choice stays, and is reported with the fix', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    const stack = new Stack(app, 'Explicit');
    new sqs.Queue(stack, 'Queue', { enforceSSL: false, encryption: sqs.QueueEncryption.SQS_MANAGED });
    new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, pointInTimeRecovery: false, deletionProtection: false });
    new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE });
    new s3.Bucket(stack, 'Site', { publicReadAccess: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY, versioned: false });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::S3::Bucket', { VersioningConfiguration: Match.absent(), PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicPolicy: false }) });
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
    // No TLS-only policy on the queue itself (its dead-letter queue, cdk-aegis's, has one).
    expect(Object.values<any>(t.findResources('AWS::SQS::QueuePolicy')).filter((p) => JSON.stringify(p.Properties.Queues).includes('"Queue4A7E3555"'))).toEqual([]);
    t.hasResourceProperties('AWS::DynamoDB::Table', { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false }, DeletionProtectionEnabled: false });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.absent(), KmsKeyId: KEY });
    const hardened = records(stack);
    expect(hardened['Explicit/Queue'].kept.map((k: any) => `${k.prop}: ${k.value}`)).toEqual(['encryption: SQS_MANAGED', 'enforceSSL: false']);
    expect(hardened['Explicit/Table'].kept.map((k: any) => k.prop)).toEqual(['pointInTimeRecovery', 'deletionProtection']);
    expect(hardened['Explicit/Logs'].kept[0]).toMatchObject({ prop: 'retention', value: 'INFINITE' });
    expect(hardened['Explicit/Site'].kept.map((k: any) => `${k.prop}: ${k.value}`)).toEqual(['publicReadAccess: true', 'versioned: false']);
  });

  test('opt-outs: a construct path or a control, each with a reason in the record', () => {
    const app = newApp();
    SecureDefaults.of(app).apply({
      skip: [
        HardeningSkip.path('Skips/Legacy', { reason: 'drained and deleted next quarter' }),
        HardeningSkip.control(HardeningControl.TABLE_DELETION_PROTECTION, { reason: 'scratch tables, recreated by tests' }),
      ],
    });
    const stack = new Stack(app, 'Skips');
    new sqs.Queue(stack, 'Legacy');
    new dynamodb.Table(stack, 'Scratch', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SQS::QueuePolicy', 0);
    t.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: Match.absent(), PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    const hardened = records(stack);
    expect(hardened['Skips/Legacy']).toMatchObject({ added: [], skipped: [{ control: '*', reason: 'drained and deleted next quarter' }] });
    expect(hardened['Skips/Scratch'].skipped).toEqual([{ control: 'table.deletionProtection', reason: 'scratch tables, recreated by tests' }]);
  });

  test.each([
    ['a skip without a reason', { skip: [HardeningSkip.path('A/B', { reason: 'no' })] }, /`skip\[0\]` opt-out needs a reason of at least \d+ characters, got: "no"/],
    ['a string instead of a HardeningSkip (untyped callers)', { skip: ['A/B'] }, /`skip\[0\]` must be HardeningSkip\.path\(path, \{ reason \}\) or HardeningSkip\.control\(control, \{ reason \}\), got: "A\/B"/],
    ['skip is not a list', { skip: 'A/B' }, /`skip` must be a list such as/],
  ])('apply() fails with %s', (_name, options, message) => {
    expect(() => SecureDefaults.of(newApp()).apply(options as any)).toThrow(message);
  });

  test('an env-agnostic TableV2 is left to decide (its key is per replica region); explicit AWS-owned encryption is kept; a second apply() adds nothing', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    SecureDefaults.of(app).apply();
    const stack = new Stack(app, 'Agnostic');
    new dynamodb.TableV2(stack, 'V2', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new dynamodb.Table(stack, 'Owned', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.DEFAULT });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', { SSESpecification: Match.absent() });
    t.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: false }, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    const hardened = records(stack);
    expect(hardened['Agnostic/V2'].decide).toEqual([{ what: 'encryption', how: expect.stringContaining('a TableV2 key is per replica region') }]);
    expect(hardened['Agnostic/Owned'].kept).toEqual([{ prop: 'encryption', value: 'AWS_OWNED', fix: expect.stringContaining('CUSTOMER_MANAGED') }]);
    expect(stack.node.metadata.filter((m) => m.type === SecureDefaults.METADATA_TYPE)).toHaveLength(2);
  });

  test('the grant rewrite can be skipped for the app or for a construct path', () => {
    const build = (skip: HardeningSkip) => {
      const app = newApp();
      SecureDefaults.of(app).apply({ skip: [skip] });
      const stack = new Stack(app, 'Grants');
      const bucket = new s3.Bucket(stack, 'Bucket');
      bucket.grantRead(new lambda.Function(stack, 'Fn', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X }));
      return JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    };
    expect(build(HardeningSkip.control(HardeningControl.GRANT_EXACT_ACTIONS, { reason: 'reviewed by the platform team' }))).toContain('"s3:GetObject*"');
    expect(build(HardeningSkip.path('Grants/Fn', { reason: 'legacy function, replaced next sprint' }))).toContain('"s3:GetObject*"');
    expect(build(HardeningSkip.path('Grants/Other', { reason: 'another construct entirely' }))).not.toContain('"s3:GetObject*"');
  });

  test('apps keep working: own authorizers, ACL buckets, replicated tables, shared roles, Deny wildcards, escape hatches', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    const stack = new Stack(app, 'Works', { env: { account: '123456789012', region: 'eu-west-1' } });
    const handler = new lambda.Function(stack, 'Handler', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
    // A method with its own authorizer keeps it; an explicit NONE stays; the rest gets IAM.
    const api = new apigateway.RestApi(stack, 'Api');
    const authorizer = new apigateway.TokenAuthorizer(stack, 'Auth', { handler });
    api.root.addResource('custom').addMethod('GET', new apigateway.LambdaIntegration(handler), { authorizer });
    api.root.addResource('health').addMethod('GET', new apigateway.LambdaIntegration(handler), { authorizationType: apigateway.AuthorizationType.NONE });
    api.root.addMethod('POST', new apigateway.LambdaIntegration(handler));
    // ACL buckets (a log destination the app manages) are left to their ACLs.
    const logs3 = new s3.Bucket(stack, 'LegacyLogs', { accessControl: s3.BucketAccessControl.LOG_DELIVERY_WRITE });
    new s3.Bucket(stack, 'Logged', { serverAccessLogsBucket: logs3 });
    // A global table (Table with replicas) is not given a key it cannot take.
    new dynamodb.Table(stack, 'Global', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, replicationRegions: ['us-east-1'], removalPolicy: RemovalPolicy.DESTROY });
    // A role shared by two functions lets each write its own log group.
    const shared = new iam.Role(stack, 'Shared', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new lambda.Function(stack, 'A', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X, role: shared });
    new lambda.Function(stack, 'B', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X, role: shared });
    // A Deny keeps its wildcards (narrowing a Deny widens what is allowed).
    shared.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:DeleteObject*'], resources: ['*'] }));
    // Escape hatches on the L1 stay.
    const traced = new lambda.Function(stack, 'Traced', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
    (traced.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: 'PassThrough' };
    const t = Template.fromStack(stack);
    const methods = Object.values<any>(t.findResources('AWS::ApiGateway::Method')).map((m) => `${m.Properties.HttpMethod} ${m.Properties.AuthorizationType}`).sort();
    expect(methods).toEqual(['GET CUSTOM', 'GET NONE', 'POST AWS_IAM']);
    t.hasResourceProperties('AWS::S3::Bucket', { AccessControl: 'LogDeliveryWrite', PublicAccessBlockConfiguration: Match.absent() });
    t.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: Match.absent(), SSESpecification: Match.absent() });
    const sharedPolicy = JSON.stringify(Object.values<any>(t.findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument));
    expect(sharedPolicy).toMatch(/ALogGroup.*BLogGroup|BLogGroup.*ALogGroup/);
    expect(sharedPolicy).toContain('"s3:DeleteObject*"');
    t.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'PassThrough' } });
    expect(records(stack)['Works/Global'].decide.map((d: any) => d.what)).toEqual(['encryption']);
  });

  test('queues get a dead-letter queue unless they are one: another queue\'s, a function\'s, a rule target\'s or a subscription\'s', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    Compliance.of(app).enforce();
    const stack = new Stack(app, 'Queues');
    const failures = new sqs.Queue(stack, 'Failures');
    new sqs.Queue(stack, 'Work', { deadLetterQueue: { queue: failures, maxReceiveCount: 3 } });
    const fnFailures = new sqs.Queue(stack, 'FunctionFailures');
    new lambda.Function(stack, 'Fn', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X, deadLetterQueue: fnFailures });
    const ruleFailures = new sqs.Queue(stack, 'RuleFailures');
    new events.Rule(stack, 'Rule', { schedule: events.Schedule.rate(Duration.hours(1)) })
      .addTarget(new targets.SqsQueue(new sqs.Queue(stack, 'Inbox'), { deadLetterQueue: ruleFailures }));
    const t = Template.fromStack(stack);
    const redriven = Object.entries<any>(t.findResources('AWS::SQS::Queue'))
      .filter(([, r]) => r.Properties?.RedrivePolicy !== undefined).map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort();
    expect(redriven).toEqual(['Inbox', 'Work']);
    const { findings } = synthesize(app);
    expect(findings.filter((f) => f.rule === 'AwsSolutions-SQS3' || f.rule === 'Serverless-SQSRedrivePolicy').flatMap((f) => f.paths)).toEqual([]);
  });

  test('an explicit access log destination keeps aws-cdk-lib\'s CloudWatch role (the scoped account role writes API-Gateway-* groups only)', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    const stack = new Stack(app, 'OwnLogs');
    const api = new apigateway.RestApi(stack, 'Api', { deployOptions: { accessLogDestination: new apigateway.LogGroupLogDestination(new logs.LogGroup(stack, 'Central')) } });
    api.root.addMethod('GET', new apigateway.MockIntegration());
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ApiGateway::Account', 1);
    expect(JSON.stringify(t.toJSON())).toContain('AmazonAPIGatewayPushToCloudWatchLogs');
  });

  test('apply() fails when covered constructs already exist under the scope: it would leave them unhardened', () => {
    const app = newApp();
    new sqs.Queue(new Stack(app, 'Early'), 'Queue');
    expect(() => SecureDefaults.of(app).apply()).toThrow(/SecureDefaults\.of\(\.\.\.\)\.apply\(\) must come before the constructs it hardens; 1 already exist \(Early\/Queue\)/);
  });

  test('cdk-aegis constructs are left exactly as they are (their templates do not change)', () => {
    const build = (harden: boolean) => {
      const app = newApp();
      if (harden) {
        SecureDefaults.of(app).apply();
      }
      const stack = new Stack(app, 'Ours');
      new SecureQueue(stack, 'Jobs');
      new SecureTable(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      new SecureBucket(stack, 'Uploads');
      new SecureFunction(stack, 'Fn', { code: lambda.Code.fromInline('x'), handler: 'index.handler' });
      return { template: Template.fromStack(stack).toJSON(), records: records(stack) };
    };
    const hardened = build(true);
    expect(hardened.template).toEqual(build(false).template);
    expect(hardened.records).toEqual({});
  });

  test('applies at app, stage or stack level, and only there', () => {
    const app = newApp();
    const stage = new Stage(app, 'Prod');
    SecureDefaults.of(stage).apply();
    const inside = new Stack(stage, 'Inside');
    const outside = new Stack(app, 'Outside');
    const stackLevel = new Stack(app, 'StackLevel');
    SecureDefaults.of(stackLevel).apply();
    for (const stack of [inside, outside, stackLevel]) {
      new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    }
    Template.fromStack(inside).hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { KMSMasterKeyId: KEY } });
    Template.fromStack(stackLevel).hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { KMSMasterKeyId: KEY } });
    Template.fromStack(outside).hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: Match.absent() });
    expect(stage.synth().getStackByName(inside.stackName).template.Resources).toBeDefined();
  });

  test('a team\'s own injector for the same construct runs first; SecureDefaults fills what it left unset', () => {
    const app = newApp();
    const theirs: IPropertyInjector = {
      constructUniqueId: dynamodb.Table.PROPERTY_INJECTION_ID,
      inject: (props: any) => ({ ...props, deletionProtection: false }),
    };
    PropertyInjectors.of(app).add(theirs);
    SecureDefaults.of(app).apply();
    const stack = new Stack(app, 'Theirs');
    new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { KMSMasterKeyId: KEY }, DeletionProtectionEnabled: false });
    expect(records(stack)['Theirs/Table'].kept).toEqual([{ prop: 'deletionProtection', value: 'false', fix: expect.stringContaining('deletion protection on') }]);
  });

  test('under enforce(), the hardening report and the ledger list what was added, kept, skipped and left to decide', () => {
    const app = newApp();
    SecureDefaults.of(app).apply({ skip: [HardeningSkip.control(HardeningControl.LOG_GROUP_ENCRYPTION, { reason: 'the log group is read by a third-party forwarder' })] });
    Compliance.of(app).enforce();
    const stack = new Stack(app, 'Reported');
    new secretsmanager.Secret(stack, 'Secret');
    new logs.LogGroup(stack, 'Logs');
    synthesize(app);
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'hardening-report.json'), 'utf8'));
    expect(report.constructs.map((c: any) => `${c.constructPath} ${c.construct}`)).toEqual([
      `Reported/Logs ${HardenedConstruct.LOG_GROUP}`, `Reported/Secret ${HardenedConstruct.SECRET}`,
    ]);
    const markdown = fs.readFileSync(path.join(app.outdir, 'hardening-report.md'), 'utf8');
    expect(markdown).toContain('SecureDefaults hardened 2 construct(s): 1 default(s) added, 0 explicit value(s) kept, 1 decision(s) to make, 1 skip(s).');
    expect(markdown).toContain('| `Reported/Secret` | rotation | add a rotation schedule');
    expect(markdown).toContain('| `Reported/Logs` | `logGroup.encryptionKey` | the log group is read by a third-party forwarder |');
    const ledger = JSON.parse(fs.readFileSync(path.join(app.outdir, 'compliance-ledger.json'), 'utf8'));
    expect(ledger.hardening).toEqual(report.constructs);
  });

  test('the typical plain-L2 seeds app: 36 findings untouched, 5 with the one line, each a decision the app must make', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(), new ServerlessChecks());
    typicalSeedsApp(new Stack(app, 'Seeds'));
    const { findings, acknowledged } = synthesize(app);
    // Left: the pinned NODEJS_22_X runtime (AwsSolutions-L1 and Serverless-LambdaLatestVersion, per function) and the
    // secret without rotation (AwsSolutions-SMG4). Everything else is gone by configuration.
    expect(findings.flatMap((f) => f.paths.map((p) => `${f.rule} ${p}`)).sort()).toEqual([
      'AwsSolutions-L1 Seeds/OrdersFn/Resource',
      'AwsSolutions-L1 Seeds/Processor/Resource',
      'AwsSolutions-SMG4 Seeds/PaymentKey/Resource',
      'Serverless-LambdaLatestVersion Seeds/OrdersFn/Resource',
      'Serverless-LambdaLatestVersion Seeds/Processor/Resource',
    ]);
    // The acknowledgements are the ones cdk-aegis makes for its own constructs: AWS-forced wildcards (X-Ray, S3 object keys,
    // log streams and the API Gateway account role's log groups) and rule defects (COG4 for IAM-authorized methods, terminal
    // dead-letter queues); none is a user opt-out.
    const causes = [...new Set(acknowledged.map((a) => `${a.rule.replace(/\[.*\]$/, '')} ${/^cdk-aegis \(([^)]+)\)/.exec(a.reason)?.[1]}`))].sort();
    expect(causes).toEqual([
      'AwsSolutions-COG4 rule defect',
      'AwsSolutions-IAM5 AWS-forced',
      'AwsSolutions-SQS3 rule defect',
      'Serverless-SQSRedrivePolicy rule defect',
    ]);
  });

  test('REST APIs: IAM on every method, a validator, a web ACL, a throttled and logged stage, the stack\'s account logging role', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    const stack = new Stack(app, 'Api');
    const handler = new lambda.Function(stack, 'Handler', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
    new apigateway.LambdaRestApi(stack, 'Orders', { handler });
    const t = Template.fromStack(stack);
    t.allResourcesProperties('AWS::ApiGateway::Method', { AuthorizationType: 'AWS_IAM', RequestValidatorId: { Ref: Match.stringLikeRegexp('^OrdersAegisRequestValidator') } });
    t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersAccessLogs'), 'Arn'] }, Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: [Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, LoggingLevel: 'ERROR', DataTraceEnabled: false })],
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Access-Logs_', { Ref: Match.stringLikeRegexp('^Orders') }, '/prod']] }, KmsKeyId: KEY });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: Match.stringLikeRegexp('^Orders') }, '/prod']] }, KmsKeyId: KEY });
    t.resourceCountIs('AWS::WAFv2::WebACL', 1);
    t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersWebAcl'), 'Arn'] } });
    // No CloudWatchRole with AmazonAPIGatewayPushToCloudWatchLogs: the stack's scoped account role.
    expect(JSON.stringify(t.toJSON())).not.toContain('AmazonAPIGatewayPushToCloudWatchLogs');
    t.resourceCountIs('AWS::ApiGateway::Account', 1);
    const record = records(stack)['Api/Orders'];
    expect(record.construct).toBe(HardenedConstruct.REST_API);
    expect(record.decide.map((d: any) => d.what)).toEqual(['authorizer', 'request schema']);
  });

  test('REST APIs: an explicit NONE authorization, data trace or disabled tracing stays and is reported', () => {
    const app = newApp();
    SecureDefaults.of(app).apply({ skip: [HardeningSkip.control(HardeningControl.API_WEB_ACL, { reason: 'the CloudFront web ACL in front covers it' })] });
    const stack = new Stack(app, 'Open');
    const api = new apigateway.RestApi(stack, 'Public', {
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.NONE },
      deployOptions: { dataTraceEnabled: true, tracingEnabled: false },
    });
    api.root.addMethod('GET', new apigateway.MockIntegration());
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::Method', { AuthorizationType: 'NONE' });
    t.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: false, MethodSettings: [Match.objectLike({ DataTraceEnabled: true })] });
    t.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const record = records(stack)['Open/Public'];
    expect(record.kept.map((k: any) => k.prop)).toEqual(['defaultMethodOptions.authorizationType', 'deployOptions.dataTraceEnabled', 'deployOptions.tracingEnabled']);
    expect(record.skipped).toEqual([{ control: 'api.webAcl', reason: 'the CloudFront web ACL in front covers it' }]);
  });

  test('the grant rewrite keeps references to other stacks (the stack key of a table in another stack)', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    const data = new Stack(app, 'Data');
    const table = new dynamodb.Table(data, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const compute = new Stack(app, 'Compute');
    const fn = new lambda.Function(compute, 'Fn', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
    table.grantReadWriteData(fn);
    const policy = Object.values<any>(app.synth().getStackByName('Compute').template.Resources).find((r) => r.Type === 'AWS::IAM::Policy');
    const kms = policy.Properties.PolicyDocument.Statement.find((s: any) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    // Every action the wildcards matched, named: the grant keeps exactly its permissions.
    expect(kms.Action).toEqual([
      'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
      'kms:GenerateDataKey', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext',
    ]);
    expect(kms.Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Data:ExportsOutputFnGetAttAegisEncryptionKey/) });
  });
});

/** An app of `setting` with SecureDefaults applied and compliance enforced, and one stack in it. */
function hardenedApp(setting: DeploymentSetting, stackId: string, profile = SecurityProfile.BASELINE): { app: App; stack: Stack } {
  const app = new App({ outdir: newApp().outdir, ...setting.appProps });
  SecureDefaults.of(app).apply();
  Compliance.of(app).enforce({ profile });
  return { app, stack: new Stack(setting.stackScope(app), stackId, setting.stackProps) };
}

/** Plain queues and a topic wired the L2 way: S3 notifications, an SNS→SQS subscription, rule targets, an alarm action. */
function messaging(stack: Stack): { jobs: sqs.Queue; news: sns.Topic } {
  const jobs = new sqs.Queue(stack, 'Jobs');
  const news = new sns.Topic(stack, 'News');
  const uploads = new s3.Bucket(stack, 'Uploads');
  uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(jobs));
  uploads.addEventNotification(s3.EventType.OBJECT_REMOVED, new s3n.SnsDestination(news));
  news.addSubscription(new subs.SqsSubscription(new sqs.Queue(stack, 'Audit'), { deadLetterQueue: new sqs.Queue(stack, 'AuditFailures') }));
  const failures = new sqs.Queue(stack, 'RuleFailures');
  const hourly = new events.Rule(stack, 'Hourly', { schedule: events.Schedule.rate(Duration.hours(1)) });
  hourly.addTarget(new targets.SqsQueue(new sqs.Queue(stack, 'Ticks'), { deadLetterQueue: failures }));
  hourly.addTarget(new targets.SnsTopic(news, { deadLetterQueue: failures }));
  new cloudwatch.Alarm(stack, 'Backlog', { metric: jobs.metricApproximateAgeOfOldestMessage(), threshold: 60, evaluationPeriods: 1 })
    .addAlarmAction(new cwactions.SnsAction(news));
  return { jobs, news };
}

describe('SecureDefaults with the real-deployment settings', () => {
  test.each(DEPLOYMENT_SETTINGS.map((setting): [string, DeploymentSetting] => [setting.name, setting]))(
    'the typical seeds app under enforce() (BASELINE), %s: only the 5 decisions fail, and only cdk-aegis\'s known warnings are reported',
    (_name, setting) => {
      const { app, stack } = hardenedApp(setting, 'Seeds');
      typicalSeedsApp(stack);
      const { findings } = synthesize(app);
      const errors = findings.filter((f) => f.severity === 'error').flatMap((f) => f.paths.map(() => f.rule)).sort();
      expect(errors).toEqual(['AwsSolutions-L1', 'AwsSolutions-L1', 'AwsSolutions-SMG4', 'Serverless-LambdaLatestVersion', 'Serverless-LambdaLatestVersion']);
      // Under the cdk init flags warnings are in the report too: the web ACL's alarms need a subscriber, and the stack sets
      // API Gateway's account logging role (both cdk-aegis warnings, to act on or acknowledge).
      expect([...new Set(findings.filter((f) => f.severity !== 'error').map((f) => f.rule))].sort()).toEqual(
        setting.appProps.context ? ['Annotation::@cdk-aegis/alarm-topic-unsubscribed', 'Annotation::@cdk-aegis/api-gateway-account-role'] : [],
      );
    },
  );

  test.each(DEPLOYMENT_SETTINGS.map((setting): [string, DeploymentSetting] => [setting.name, setting]))(
    'queues and topics on the stack key, %s: S3, SNS, EventBridge and CloudWatch alarms that send to them may use it, scoped, and nothing is found',
    (_name, setting) => {
      const { app, stack } = hardenedApp(setting, 'Messaging');
      const { jobs, news } = messaging(stack);
      // Grants on a hardened queue or topic use the key through SQS or SNS only, from this account (as SecureQueue's and SecureTopic's do).
      const worker = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      jobs.grantSendMessages(worker);
      jobs.grantConsumeMessages(worker);
      news.grantPublish(worker);
      const t = Template.fromStack(stack);
      const queues = Object.values<any>(t.findResources('AWS::SQS::Queue'));
      expect(queues.length).toBeGreaterThanOrEqual(5);
      expect(queues.map((q) => q.Properties.KmsMasterKeyId)).toEqual(Array(queues.length).fill(KEY_ARN));
      t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: KEY });
      const key = Object.values<any>(t.findResources('AWS::KMS::Key'))[0];
      const services = key.Properties.KeyPolicy.Statement.filter((st: any) => st.Principal.Service);
      // Besides CloudWatch Logs (the stack key's own statement; its principal names the region, a token when env-agnostic):
      expect([...new Set(services.map((st: any) => st.Principal.Service).filter((p: unknown) => !JSON.stringify(p).includes('logs.')))].sort()).toEqual([
        'cloudwatch.amazonaws.com', 'events.amazonaws.com', 's3.amazonaws.com', 'sns.amazonaws.com',
      ]);
      // Every service statement is held by a source or an encryption context, and names exact actions (aws-cdk-lib's own included).
      for (const st of services) {
        expect(Object.values(st.Condition ?? {}).flatMap((c: any) => Object.keys(c))).toEqual(
          expect.arrayContaining([expect.stringMatching(/^(aws:SourceArn|kms:EncryptionContext:.*)$/)]),
        );
        expect([st.Action].flat().filter((a: string) => a.includes('*'))).toEqual([]);
      }
      const keyStatements = Object.values<any>(t.findResources('AWS::IAM::Policy'))
        .flatMap((p) => p.Properties.PolicyDocument.Statement).filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith('kms:')));
      // Through SQS or SNS only (a queue may be given a topic's key), and only what sending, consuming or publishing needs.
      expect(keyStatements.length).toBeGreaterThanOrEqual(1);
      for (const st of keyStatements) {
        expect(JSON.stringify(st.Condition.StringEquals['kms:ViaService'])).toMatch(/sqs\..*sns\./);
        expect([st.Action].flat().filter((a: string) => a !== 'kms:Decrypt' && a !== 'kms:GenerateDataKey')).toEqual([]);
      }
      expect(keyStatements.every((st: any) => st.Condition.StringEquals['kms:CallerAccount'] !== undefined)).toBe(true);
      const { findings } = synthesize(app);
      expect(findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.paths}`)).toEqual([]);
      expect(records(stack)[`${stack.node.path}/News`].added.map((a: any) => a.control)).toContain(HardeningControl.TOPIC_ENCRYPTION);
    },
  );

  test.each(DEPLOYMENT_SETTINGS.map((setting): [string, DeploymentSetting] => [setting.name, setting]))(
    'queues and topics on the stack key under REGULATED, %s: every sender may use the key (no Aegis-KMS1 finding)',
    (_name, setting) => {
      const { app, stack } = hardenedApp(setting, 'Messaging', SecurityProfile.REGULATED);
      // REGULATED replicates the access-log bucket that hardened buckets log to: the app says where, as for SecureBuckets.
      SecureBucket.configureAccessLogs(stack, { replication: BucketReplication.to('arn:aws:s3:::messaging-access-logs-replica') });
      messaging(stack);
      // REGULATED's own controls (replication, VPCs, …) are not SecureDefaults' (README) and fail the synth: the keys' admissions hold.
      const { findings } = synthesize(app);
      const queues = stack.node.findAll().filter((c): c is sqs.CfnQueue => c instanceof sqs.CfnQueue);
      expect(queues.length).toBeGreaterThanOrEqual(5);
      expect(queues.map((q) => stack.resolve(q.kmsMasterKeyId))).toEqual(Array(queues.length).fill(KEY_ARN));
      expect(findings.filter((f) => f.rule.startsWith('Aegis-KMS')).map((f) => `${f.rule} ${f.paths}`)).toEqual([]);
      expect(findings.length).toBeGreaterThan(0);
    },
  );

  test('fails under REGULATED, naming the call to make, when a hardened bucket logs to an access-log bucket whose replication nobody chose', () => {
    const { app, stack } = hardenedApp(DEPLOYMENT_SETTINGS[1], 'Logged', SecurityProfile.REGULATED);
    new s3.Bucket(stack, 'Uploads');
    expect(() => app.synth()).toThrow(/REGULATED profile requires replication of the access log bucket too: call `SecureBucket\.configureAccessLogs\(stack, \{ replication/);
  });

  test('a skipped queue or topic key leaves SQS\'s and SNS\'s own encryption, and the record says why', () => {
    const app = newApp();
    SecureDefaults.of(app).apply({
      skip: [
        HardeningSkip.control(HardeningControl.QUEUE_ENCRYPTION, { reason: 'a partner account sends with its own credentials' }),
        HardeningSkip.control(HardeningControl.TOPIC_ENCRYPTION, { reason: 'a partner account publishes with its own credentials' }),
      ],
    });
    const stack = new Stack(app, 'Partner');
    new sqs.Queue(stack, 'Inbox');
    new sns.Topic(stack, 'Outbox');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.absent(), RedrivePolicy: Match.anyValue() });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.absent() });
    t.resourceCountIs('AWS::KMS::Key', 1); // the dead-letter queue's
    expect(records(stack)['Partner/Outbox'].skipped).toEqual([{ control: 'topic.encryption', reason: 'a partner account publishes with its own credentials' }]);
  });

  test.each([['app'], ['stage'], ['stack']])('hardened stores synthesize when applied at %s level, with aws:cdk:path and the cdk init flags', (level) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const app = new App({ outdir: newApp().outdir, context: require('aws-cdk-lib/recommended-feature-flags.json') });
    const stage = new Stage(app, 'Pipeline', { env: { account: '123456789012', region: 'eu-west-1' } });
    const stack = new Stack(stage, 'Stores');
    SecureDefaults.of(level === 'app' ? app : level === 'stage' ? stage : stack).apply();
    plainStores(stack);
    const assembly = app.synth();
    const template = assembly.nestedAssemblies[0].nestedAssembly.getStackByName(stack.stackName).template;
    expect(Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::DynamoDB::Table').map((r) => r.Properties.SSESpecification.KMSMasterKeyId)).toEqual([KEY_ARN]);
  });
});

const KEY_ARN = { 'Fn::GetAtt': [expect.stringMatching(/^AegisEncryptionKey/), 'Arn'] };
