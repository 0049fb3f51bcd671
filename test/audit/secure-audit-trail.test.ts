import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  BucketReplication,
  SecretRotation,
  SecureAuditTrail,
  SecureBucket,
  SecureFunction,
  SecureQueue,
  SecureSecret,
  SecureTable,
  SecureTopic,
  SecurityProfile,
  StackKey,
} from '../../src';
import { TEST_ENV } from '../helpers/matrix';
import { CODE, enforcedStack } from '../helpers/stacks';
import { findingLines, newApp, synthesize } from '../helpers/synth';

const id = (stack: Stack, c: any) => stack.getLogicalId((c.node.defaultChild ?? c) as any);

/** A stack bound to an account and region, so the trail's ARN reads as a literal. */
function boundStack() {
  return new Stack(newApp(), 'Audit', { env: TEST_ENV });
}

/** The resource of `type` in `template` (exactly one). */
function only(template: Template, type: string): any {
  const found = Object.values<any>(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

const trailArnOf = (stack: Stack, name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudtrail:${stack.region}:${stack.account}:trail/${name}`]] });

describe('SecureAuditTrail', () => {
  test('records management events of every region into a validated, KMS-encrypted trail, copied to an encrypted, retained log group', () => {
    // GIVEN
    const stack = boundStack();
    // WHEN
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    // THEN
    const template = Template.fromStack(stack);
    const resource = only(template, 'AWS::CloudTrail::Trail');
    expect(resource.Properties).toEqual({
      TrailName: trail.trailName,
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [id(stack, StackKey.of(stack)), 'Arn'] },
      S3BucketName: { Ref: id(stack, trail.bucket) },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [id(stack, trail.logGroup), 'Arn'] },
      CloudWatchLogsRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^AuditTrailLogsRole/), 'Arn'] },
      AdvancedEventSelectors: [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
    });
    // The policies that let CloudTrail deliver exist before the trail: CloudTrail checks them when it is created.
    expect(resource.DependsOn).toEqual(expect.arrayContaining([id(stack, trail.bucket.policy), expect.stringMatching(/^AuditTrailLogsRole/)]));
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [id(stack, StackKey.of(stack)), 'Arn'] },
      RetentionInDays: 365,
    });
    expect(trail.trailName).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/);
  });

  test('delivers to a SecureBucket where only CloudTrail, for exactly this trail, writes log files, and log files expire after a year', () => {
    // GIVEN
    const stack = boundStack();
    // WHEN
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    // THEN
    expect(trail.bucket).toBeInstanceOf(SecureBucket);
    const template = Template.fromStack(stack);
    const policy = Object.values<any>(template.findResources('AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id(stack, trail.bucket) }));
    const cloudTrail = policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Principal?.Service === 'cloudtrail.amazonaws.com');
    const thisTrail = trailArnOf(stack, trail.trailName);
    expect(cloudTrail).toEqual([
      { Sid: 'CloudTrailReadsTheAcl', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: { 'Fn::GetAtt': [id(stack, trail.bucket), 'Arn'] }, Condition: { StringEquals: { 'aws:SourceArn': thisTrail } } },
      {
        Sid: 'CloudTrailWritesLogFiles',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack, trail.bucket), 'Arn'] }, `/AWSLogs/${TEST_ENV.account}/*`]] },
        Condition: { StringEquals: { 'aws:SourceArn': thisTrail, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      },
    ]);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireLogFiles', ExpirationInDays: 365, Status: 'Enabled' })]) },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
    });
    // Retained: the trail's evidence outlives the stack.
    expect(template.toJSON().Resources[id(stack, trail.bucket)].DeletionPolicy).toBe('Retain');
  });

  test('the key lets CloudTrail encrypt for exactly this trail (source ARN and CloudTrail encryption context) and describe the key, nothing more (the trail bucket has no S3 Bucket Key, which would need an unconditioned Decrypt)', () => {
    // GIVEN
    const stack = boundStack();
    // WHEN
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    // THEN
    const template = Template.fromStack(stack).toJSON();
    expect(template.Resources[id(stack, trail.bucket)].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].BucketKeyEnabled).toBe(false);
    const key = template.Resources[id(stack, StackKey.of(stack))];
    const cloudTrail = key.Properties.KeyPolicy.Statement.filter((s: any) => s.Principal?.Service === 'cloudtrail.amazonaws.com');
    const thisTrail = trailArnOf(stack, trail.trailName);
    expect(cloudTrail).toEqual([
      {
        Sid: 'CloudTrailEncryptsLogFiles',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': thisTrail },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudtrail:*:${TEST_ENV.account}:trail/*`]] } },
        },
      },
      { Sid: 'CloudTrailDescribesTheKey', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*', Condition: { StringEquals: { 'aws:SourceArn': thisTrail } } },
    ]);
  });

  test('the log delivery role may create streams and put events in its own log group only, in the streams CloudTrail names', () => {
    // GIVEN
    const stack = boundStack();
    // WHEN
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    // THEN
    const template = Template.fromStack(stack);
    const role = Object.values<any>(template.findResources('AWS::IAM::Role')).find((r) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'cloudtrail.amazonaws.com');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    expect(statements).toEqual([{
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:${TEST_ENV.region}:${TEST_ENV.account}:log-group:`, { Ref: id(stack, trail.logGroup) }, `:log-stream:${TEST_ENV.account}_CloudTrail_*`]] },
    }]);
  });

  test('each recorded resource gets one advanced selector scoped to exactly its ARN, writes only unless reads are asked for', () => {
    // GIVEN
    const stack = boundStack();
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    const table = new SecureTable(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const uploads = new SecureBucket(stack, 'Uploads');
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    const queue = new SecureQueue(stack, 'Jobs');
    const topic = new SecureTopic(stack, 'Events');
    const plainTable = new dynamodb.TableV2(stack, 'Plain', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    // WHEN
    trail.recordDataEvents(table);
    trail.recordDataEvents(uploads, { includeReads: true });
    trail.recordDataEvents(fn);
    trail.recordDataEvents(queue);
    trail.recordDataEvents(topic);
    trail.recordDataEvents(plainTable);
    // THEN
    const selectors = only(Template.fromStack(stack), 'AWS::CloudTrail::Trail').Properties.AdvancedEventSelectors;
    const data = (type: string, arn: object, readOnly?: 'false') => [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: [type] },
      { Field: 'resources.ARN', ...arn },
      ...(readOnly ? [{ Field: 'readOnly', Equals: [readOnly] }] : []),
    ];
    const getAtt = (c: any) => ({ 'Fn::GetAtt': [id(stack, c), 'Arn'] });
    expect(selectors).toEqual([
      { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      { Name: 'Data events of Audit/Orders', FieldSelectors: data('AWS::DynamoDB::Table', { Equals: [getAtt(table)] }, 'false') },
      { Name: 'Data events of Audit/Uploads', FieldSelectors: data('AWS::S3::Object', { StartsWith: [{ 'Fn::Join': ['', [getAtt(uploads), '/']] }] }) },
      // A function's invocations are neither reads nor writes: every one is recorded.
      { Name: 'Data events of Audit/Fn', FieldSelectors: data('AWS::Lambda::Function', { Equals: [getAtt(fn)] }) },
      { Name: 'Data events of Audit/Jobs', FieldSelectors: data('AWS::SQS::Queue', { Equals: [getAtt(queue)] }, 'false') },
      { Name: 'Data events of Audit/Events', FieldSelectors: data('AWS::SNS::Topic', { Equals: [{ Ref: id(stack, topic) }] }, 'false') },
      { Name: 'Data events of Audit/Plain', FieldSelectors: data('AWS::DynamoDB::Table', { Equals: [getAtt(plainTable)] }, 'false') },
    ]);
  });

  test('a secret needs no selector: every Secrets Manager call, GetSecretValue included, is a management event the trail records', () => {
    const stack = boundStack();
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    trail.recordDataEvents(new SecureSecret(stack, 'ApiKey', { rotation: SecretRotation.none({ reason: 'issued by a partner, rotated in its portal' }) }));
    expect(only(Template.fromStack(stack), 'AWS::CloudTrail::Trail').Properties.AdvancedEventSelectors).toHaveLength(1);
  });

  test('under REGULATED, log files are kept 7 years, the bucket replicates, and the role\'s policy is customer-managed', () => {
    // GIVEN
    const { stack } = enforcedStack(SecurityProfile.REGULATED);
    const replication = BucketReplication.to('arn:aws:s3:::audit-replica', { destinationKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-555555555555' });
    SecureBucket.configureAccessLogs(stack, { replication });
    // WHEN
    const trail = new SecureAuditTrail(stack, 'AuditTrail', { replication });
    // THEN
    const template = Template.fromStack(stack);
    const bucket = template.toJSON().Resources[id(stack, trail.bucket)];
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({ Id: 'ExpireLogFiles', ExpirationInDays: 7 * 365 }));
    expect(bucket.Properties.ReplicationConfiguration).toBeDefined();
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^AuditTrailLogsRole') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] })] },
    });
  });

  test('has zero findings in every pack of both profiles (the deployment matrix runs it in every setting too)', () => {
    for (const profile of [SecurityProfile.BASELINE, SecurityProfile.REGULATED]) {
      const { app, stack } = enforcedStack(profile);
      const replication = profile === SecurityProfile.REGULATED ? BucketReplication.to('arn:aws:s3:::audit-replica', { destinationKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/11111111-2222-3333-4444-555555555555' }) : undefined;
      if (replication) {
        SecureBucket.configureAccessLogs(stack, { replication });
      }
      const trail = new SecureAuditTrail(stack, 'AuditTrail', { replication });
      trail.recordDataEvents(new SecureQueue(stack, 'Jobs'));
      const result = synthesize(app);
      expect(findingLines(result.findings).filter((l) => !l.includes('replica-object-lock'))).toEqual([]);
      expect(result.error).toBeUndefined();
    }
  });

  test.each([
    ['its own bucket', (trail: SecureAuditTrail) => trail.bucket, /refuses the trail's own bucket: each log file it delivers is an object write/],
    ['the bucket its bucket logs to', (trail: SecureAuditTrail) => Stack.of(trail).node.findChild('AegisAccessLogsBucket'), /refuses the bucket that receives the trail bucket's server access logs/],
    ['its own bucket, imported by name', (trail: SecureAuditTrail) => s3.Bucket.fromBucketName(trail, 'Again', trail.bucket.bucketName), /refuses the trail's own bucket/],
  ])('fails when asked to record the data events of %s (a feedback loop)', (_name, target, message) => {
    const stack = boundStack();
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    expect(() => trail.recordDataEvents(target(trail))).toThrow(message);
  });

  test.each([
    ['the resource is a role', (stack: Stack) => new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }), /`resource` must be a table, bucket, function, queue, topic or secret \(e\.g\. a SecureTable\), got: Audit\/Role\./],
    ['the resource is a plain object (untyped caller)', () => ({ tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/x' }), /`resource` must be a table, bucket, function, queue, topic or secret/],
    ['the resource is undefined', () => undefined, /`resource` must be a table, bucket, function, queue, topic or secret.*got: undefined/],
  ])('fails when %s', (_name, make, message) => {
    const stack = boundStack();
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    expect(() => trail.recordDataEvents(make(stack) as any)).toThrow(message);
  });

  test('fails when the same resource is recorded twice', () => {
    const stack = boundStack();
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    const queue = new SecureQueue(stack, 'Jobs');
    trail.recordDataEvents(queue);
    expect(() => trail.recordDataEvents(queue, { includeReads: true })).toThrow(/the data events of Audit\/Jobs are already recorded/);
  });

  test('fails when includeReads is not a boolean (untyped caller)', () => {
    const stack = boundStack();
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    expect(() => trail.recordDataEvents(new SecureQueue(stack, 'Jobs'), { includeReads: 'yes' } as any)).toThrow(/`options.includeReads` must be true or false, got: "yes"/);
  });

  test.each([
    ['the trail name has a space', { trailName: 'audit trail' }, /`trailName` must be 3 to 128 letters, digits, `.`, `_` or `-`.*got: "audit trail"/],
    ['the trail name is too short', { trailName: 'ab' }, /`trailName` must be 3 to 128/],
    ['the log-file retention is part of a day', { logFileRetention: Duration.hours(36) }, /`logFileRetention` must be a whole number of days, at least 1, got: 1 day 12 hours/],
    ['the log retention is infinite', { logRetention: logs.RetentionDays.INFINITE }, /`logRetention` must be a bounded retention/],
    ['the key is a plain object', { encryptionKey: {} }, /`encryptionKey` must be a kms\.IKey/],
  ])('fails when %s', (_name, props, message) => {
    const stack = boundStack();
    expect(() => new SecureAuditTrail(stack, 'AuditTrail', props as any)).toThrow(message);
  });

  test.each([
    ['log files are kept less than a year', { logFileRetention: Duration.days(90) }, /`logFileRetention` must be at least 365 days under the REGULATED profile, got: 90 days/],
    ['the CloudWatch Logs copy is kept less than a year', { logRetention: logs.RetentionDays.SIX_MONTHS }, /`logRetention` must be at least 365 days under the REGULATED profile/],
  ])('fails under REGULATED when %s', (_name, props, message) => {
    const { stack } = enforcedStack(SecurityProfile.REGULATED);
    expect(() => new SecureAuditTrail(stack, 'AuditTrail', props as any)).toThrow(message);
  });

  test('fails when the key is imported (its policy cannot let CloudTrail in)', () => {
    const stack = boundStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555');
    expect(() => new SecureAuditTrail(stack, 'AuditTrail', { encryptionKey: key })).toThrow(/`encryptionKey` Audit\/Imported is imported, so its policy cannot let CloudTrail encrypt/);
  });

  test('fails at synth when the selectors exceed the 500 values CloudTrail accepts', () => {
    const { app, stack } = enforcedStack();
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    for (let i = 0; i < 125; i++) {
      trail.recordDataEvents(new s3.Bucket(stack, `B${i}`));
    }
    expect(() => app.synth()).toThrow(/\[TestStack\/AuditTrail\] the trail's event selectors have 501 values; CloudTrail accepts at most 500/);
  });

  test('logical ids are locked', () => {
    const stack = boundStack();
    const trail = new SecureAuditTrail(stack, 'AuditTrail');
    trail.recordDataEvents(new SecureQueue(stack, 'Jobs'));
    const ids = Object.keys(Template.fromStack(stack).toJSON().Resources).filter((k) => k.startsWith('AuditTrail')).sort();
    expect(ids).toEqual([
      'AuditTrailBucketA91FD435',
      'AuditTrailBucketPolicy955F0D77',
      'AuditTrailFF0F2BB5',
      'AuditTrailLogGroup28BB9333',
      'AuditTrailLogsRole4829C622',
    ]);
  });
});
