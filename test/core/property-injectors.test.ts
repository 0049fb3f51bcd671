import { IPropertyInjector, InjectionContext, PropertyInjectors, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BucketReplication, SecureBucket, SecureFunction, SecureQueue, SecurityProfile } from '../../src';
import { everyConstruct } from '../fixtures/every-construct';
import { DEPLOYMENT_SETTINGS, settingStack } from '../helpers/matrix';
import { CODE, plainStack } from '../helpers/stacks';
import { findingLines, synthesize } from '../helpers/synth';

/** An injector like a platform team's Blueprint: company defaults over the construct's own props. */
class Injector implements IPropertyInjector {
  public readonly calls: string[] = [];
  constructor(public readonly constructUniqueId: string, private readonly change: (props: any) => any = (props) => props) {}
  public inject(originalProps: any, context: InjectionContext): any {
    this.calls.push(context.id);
    return this.change({ ...originalProps });
  }
}

/** The L2 base class of every Secure* construct (SecureApi wraps a RestApi). */
const BASES: Array<[string, string]> = [
  ['lambda.Function', lambda.Function.PROPERTY_INJECTION_ID],
  ['sqs.Queue', sqs.Queue.PROPERTY_INJECTION_ID],
  ['sns.Topic', sns.Topic.PROPERTY_INJECTION_ID],
  ['sns.Subscription', sns.Subscription.PROPERTY_INJECTION_ID],
  ['s3.Bucket', s3.Bucket.PROPERTY_INJECTION_ID],
  ['dynamodb.Table', dynamodb.Table.PROPERTY_INJECTION_ID],
  ['secretsmanager.Secret', secretsmanager.Secret.PROPERTY_INJECTION_ID],
  ['apigateway.RestApi', apigateway.RestApi.PROPERTY_INJECTION_ID],
  ['iam.Role', iam.Role.PROPERTY_INJECTION_ID],
];

describe('property injectors', () => {
  // One app with a pass-through injector for every base class (injectors for different classes do not interact): built and
  // synthesized once for the assertions of each.
  let passThrough: { injectors: Injector[]; result: ReturnType<typeof synthesize> } | undefined;
  const withPassThroughInjectors = () => passThrough ??= (() => {
    const { app, stack } = settingStack(DEPLOYMENT_SETTINGS[1], SecurityProfile.BASELINE);
    const injectors = BASES.map(([, injectionId]) => new Injector(injectionId));
    PropertyInjectors.of(app).add(...injectors);
    everyConstruct(stack, SecurityProfile.BASELINE);
    return { injectors, result: synthesize(app) };
  })();

  test.each(BASES)('GIVEN a pass-through injector for %s WHEN every construct is built THEN it ran and there are zero findings', (_name, injectionId) => {
    const { injectors, result } = withPassThroughInjectors();
    expect(injectors.find((i) => i.constructUniqueId === injectionId)!.calls.length).toBeGreaterThan(0);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.error).toBeUndefined();
  });

  test('fails when an injector for lambda.Function disables tracing and drops the environment key, naming both props and the opt-out', () => {
    const { app, stack } = plainStack();
    const weakening = (props: any) => ({ ...props, tracing: lambda.Tracing.DISABLED, environmentEncryption: undefined });
    PropertyInjectors.of(app).add(new Injector(lambda.Function.PROPERTY_INJECTION_ID, weakening));
    expect(() => new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' })).toThrow(
      /TestStack\/Fn: 2 problems:[\s\S]*`environmentEncryption` from the construct at TestStack\/AegisEncryptionKey to undefined[\s\S]*`encryptionKey`[\s\S]*`tracing` from undefined to "Disabled"[\s\S]*`tracing: Toggle\.off\(\{ reason \}\)`/,
    );
  });

  test.each([
    ['role', () => ({ role: new iam.Role(new Stack(), 'Shared', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }) }), /`role`.*least-privilege role/],
    ['a dead-letter queue of its own', () => ({ deadLetterQueueEnabled: true }), /`deadLetterQueueEnabled`.*`deadLetterQueue: Toggle\.off/],
    ['a log retention', () => ({ logRetention: 7 }), /`logRetention`.*own encrypted log group/],
    ['an environment value that looks like a secret', () => ({ environment: { DB_URL: 'postgres://admin:S3cr3tPassw0rd@db.example.com/orders' } }), /`environment`.*Secrets Manager/],
  ])('fails when an injector for lambda.Function sets %s', (_what, change, message) => {
    const { app, stack } = plainStack();
    PropertyInjectors.of(app).add(new Injector(lambda.Function.PROPERTY_INJECTION_ID, (props) => ({ ...props, ...change() })));
    expect(() => new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' })).toThrow(message);
  });

  test('an injector may set what SecureFunction does not secure (memory, architecture), and may add a VPC', () => {
    const { app, stack } = plainStack();
    const vpcStack = new Stack(app, 'Network');
    const vpc = new ec2.Vpc(vpcStack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const companyDefaults = (props: any) => ({ ...props, memorySize: 1024, architecture: lambda.Architecture.ARM_64, vpc });
    PropertyInjectors.of(app).add(new Injector(lambda.Function.PROPERTY_INJECTION_ID, companyDefaults));
    new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Architectures: ['arm64'],
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      TracingConfig: { Mode: 'Active' },
      KmsKeyArn: Match.anyValue(),
    });
    // A VPC the injector added still gets the network-interface permissions Lambda checks when it creates the function.
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['ec2:CreateNetworkInterface']), Resource: '*' })] },
    });
  });

  test('a statement an injector adds through `initialPolicy` lands in the function\'s own policy', () => {
    const { app, stack } = plainStack();
    const statement = new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:eu-west-1:123456789012:parameter/company/flags'] });
    PropertyInjectors.of(app).add(new Injector(lambda.Function.PROPERTY_INJECTION_ID, (props) => ({ ...props, initialPolicy: [statement] })));
    new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Policies: [{ PolicyName: 'Policy', PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ssm:GetParameter' })]) } }],
    });
  });

  test.each([
    // The first queue the fixture makes is a function's dead-letter queue: library-made queues are guarded too.
    ['sqs.Queue', sqs.Queue.PROPERTY_INJECTION_ID, { encryption: sqs.QueueEncryption.SQS_MANAGED }, 'dead-letter queue \\(of a Lambda function\\)', /`encryption`/],
    // The first topic is the stack's alarm topic (the first function's alarms need it): it is guarded like a SecureTopic.
    ['sns.Topic', sns.Topic.PROPERTY_INJECTION_ID, { enforceSSL: false }, 'alarm topic', /`enforceSSL`/],
    // The stack's access log bucket comes first: the buckets the library makes are guarded too.
    ['s3.Bucket', s3.Bucket.PROPERTY_INJECTION_ID, { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS }, 'access log bucket', /`blockPublicAccess`/],
    ['dynamodb.Table', dynamodb.Table.PROPERTY_INJECTION_ID, { encryption: dynamodb.TableEncryption.AWS_MANAGED }, 'SecureTable', /`encryption`/],
    ['secretsmanager.Secret', secretsmanager.Secret.PROPERTY_INJECTION_ID, { encryptionKey: undefined }, 'SecureSecret', /`encryptionKey`/],
    ['apigateway.RestApi', apigateway.RestApi.PROPERTY_INJECTION_ID, { cloudWatchRole: true }, 'SecureApi', /`cloudWatchRole`/],
  ])('fails when an injector for %s weakens a secured prop', (_name, injectionId, change, construct, message) => {
    const { app, stack } = settingStack(DEPLOYMENT_SETTINGS[0]);
    PropertyInjectors.of(app).add(new Injector(injectionId, (props) => ({ ...props, ...change })));
    expect(() => everyConstruct(stack, SecurityProfile.BASELINE)).toThrow(new RegExp(`${message.source}[\\s\\S]*would weaken this ${construct}`));
  });

  test.each([
    ['logs.LogGroup', logs.LogGroup.PROPERTY_INJECTION_ID, { encryptionKey: undefined, retention: logs.RetentionDays.INFINITE }, 'log group', /`encryptionKey`[\s\S]*`retention`/],
    ['kms.Key', kms.Key.PROPERTY_INJECTION_ID, { enableKeyRotation: false }, 'stack key', /`enableKeyRotation`/],
    ['cloudwatch.Alarm', cloudwatch.Alarm.PROPERTY_INJECTION_ID, { actionsEnabled: false }, 'alarm', /`actionsEnabled`/],
    ['iam.Role', iam.Role.PROPERTY_INJECTION_ID, { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')] }, 'role', /`managedPolicies`/],
  ])('fails when an injector for %s weakens what cdk-aegis makes inside its constructs', (_name, injectionId, change, what, message) => {
    const { app, stack } = plainStack();
    PropertyInjectors.of(app).add(new Injector(injectionId, (props) => ({ ...props, ...change })));
    // A function (role, log group, stack key) and a queue (its dead-letter alarm) between them make each of these.
    expect(() => {
      new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
      new SecureQueue(stack, 'Jobs');
    }).toThrow(new RegExp(`${message.source}[\\s\\S]*would weaken this ${what}`));
  });

  test('fails when an injector registered on a team\'s scope weakens a SecureBucket there', () => {
    const { stack } = plainStack();
    const team = new Construct(stack, 'Team');
    const aclsOnly = (props: any) => ({ ...props, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS });
    PropertyInjectors.of(team).add(new Injector(s3.Bucket.PROPERTY_INJECTION_ID, aclsOnly));
    expect(() => new SecureBucket(team, 'Uploads')).toThrow(/Team\/Uploads: a property injector for s3\.Bucket changed `blockPublicAccess`[\s\S]*would weaken this SecureBucket/);
  });

  test('fails when an injector for s3.Bucket weakens the stack\'s access log bucket', () => {
    const { app, stack } = plainStack();
    PropertyInjectors.of(app).add(new Injector(s3.Bucket.PROPERTY_INJECTION_ID, (props) => ({ ...props, enforceSSL: false })));
    expect(() => SecureBucket.configureAccessLogs(stack, { replication: BucketReplication.none({ reason: 'logs are archived by the org trail' }) }))
      .toThrow(/AegisAccessLogsBucket: a property injector for s3\.Bucket changed `enforceSSL`[\s\S]*would weaken this access log bucket/);
  });

  test('an injector may add a permissions boundary to the roles cdk-aegis makes', () => {
    const { app, stack } = plainStack();
    const boundary = iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Boundary', 'arn:aws:iam::123456789012:policy/company-boundary');
    PropertyInjectors.of(app).add(new Injector(iam.Role.PROPERTY_INJECTION_ID, (props) => ({ ...props, permissionsBoundary: boundary })));
    new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { PermissionsBoundary: 'arn:aws:iam::123456789012:policy/company-boundary' });
  });

  test('an injector may keep functions out of public subnets, and may not move them in', () => {
    const keepOut = plainStack();
    PropertyInjectors.of(keepOut.app).add(new Injector(lambda.Function.PROPERTY_INJECTION_ID, (props) => ({ ...props, allowPublicSubnet: false })));
    expect(() => new SecureFunction(keepOut.stack, 'Fn', { code: CODE, handler: 'index.handler' })).not.toThrow();
    const moveIn = plainStack();
    PropertyInjectors.of(moveIn.app).add(new Injector(lambda.Function.PROPERTY_INJECTION_ID, (props) => ({ ...props, allowPublicSubnet: true })));
    expect(() => new SecureFunction(moveIn.stack, 'Fn', { code: CODE, handler: 'index.handler' })).toThrow(/`allowPublicSubnet`/);
  });

  test('fails when an injector for lambda.Function pins an older runtime', () => {
    const { app, stack } = plainStack();
    const pinned = (props: any) => ({ ...props, runtime: lambda.Runtime.NODEJS_18_X });
    PropertyInjectors.of(app).add(new Injector(lambda.Function.PROPERTY_INJECTION_ID, pinned));
    expect(() => new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' })).toThrow(/`runtime` from "nodejs24\.x"|`runtime` from a Runtime/);
  });
});
