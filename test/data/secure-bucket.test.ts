import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NIST80053R4Checks } from 'cdk-nag';
import { BucketReplication, Compliance, SecureBucket, SecureBucketProps, SecureFunction, SecureTable, SecurityProfile, Toggle } from '../../src';
import { compliantVpc } from '../fixtures/compliant-vpc';
import { asArray, iamStatements } from '../helpers/iam';
import { CODE, enforcedStack, plainStack } from '../helpers/stacks';
import { findingLines, newApp, synthesize } from '../helpers/synth';

const id = (stack: Stack, c: any) => stack.getLogicalId((c.node.defaultChild ?? c) as any);
const REPLICA = 'arn:aws:s3:::uploads-replica-eu-central-1';
const REPLICA_KEY = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const replicated = () => BucketReplication.to(REPLICA, { destinationKeyArn: REPLICA_KEY });

/** The seed scenario: image upload → processing function → metadata table. */
function seedScenario(profile: SecurityProfile) {
  const { app, stack } = enforcedStack(profile);
  const regulated = profile === SecurityProfile.REGULATED;
  const vpc = regulated ? compliantVpc(stack) : undefined;
  if (regulated) {
    SecureBucket.configureAccessLogs(stack, { replication: BucketReplication.to('arn:aws:s3:::access-logs-replica') });
  }
  const uploads = new SecureBucket(stack, 'Uploads', { replication: regulated ? replicated() : undefined });
  const metadata = new SecureTable(stack, 'Metadata', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const processor = new SecureFunction(stack, 'Processor', { code: CODE, handler: 'index.handler', vpc, reservedConcurrentExecutions: regulated ? 5 : undefined });
  uploads.onObjectCreated(processor, { prefix: 'incoming/', suffix: '.jpg' });
  metadata.grantWriteData(processor);
  return { app, stack, uploads, metadata, processor };
}

describe('the seed scenario (upload → function → table)', () => {
  test.each([SecurityProfile.BASELINE, SecurityProfile.REGULATED])('has zero findings in every pack of %s', (profile) => {
    const { app } = seedScenario(profile);
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.error).toBeUndefined();
    // Every acknowledgement is the library's, with its cause; none is a user opt-out.
    expect(result.acknowledged.filter((a) => !/^cdk-aegis \((AWS-forced|rule defect)\)/.test(a.reason))).toEqual([]);
  });

  test('the processor can read only incoming/*.jpg objects, with no wildcard action', () => {
    const { app, stack, uploads } = seedScenario(SecurityProfile.BASELINE);
    app.synth();
    const statements = iamStatements(Template.fromStack(stack)).filter(({ owner }) => owner.startsWith('ProcessorServiceRole'));
    const s3 = statements.filter(({ statement }) => asArray(statement.Action).some((a) => String(a).startsWith('s3:')));
    expect(s3.map(({ statement }) => [statement.Action, statement.Resource])).toEqual([
      ['s3:GetObject', { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack, uploads), 'Arn'] }, '/incoming/*.jpg']] }],
    ]);
    expect(statements.flatMap(({ statement }) => asArray(statement.Action)).filter((a) => String(a).includes('*'))).toEqual([]);
  });

  test('every Lambda permission for a service principal carries SourceArn and SourceAccount', () => {
    const { app, stack } = seedScenario(SecurityProfile.BASELINE);
    app.synth();
    const permissions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Permission')).map((p: any) => p.Properties);
    expect(permissions.length).toBeGreaterThan(0);
    for (const permission of permissions) {
      expect(permission).toMatchObject({ Principal: expect.stringMatching(/\.amazonaws\.com$/), SourceArn: expect.anything(), SourceAccount: { Ref: 'AWS::AccountId' } });
    }
  });
});

describe('SecureBucket defaults', () => {
  test('private, KMS with a bucket key, versioned, owner-enforced, TLS 1.2 only, logged to the stack log bucket', () => {
    const { stack } = plainStack();
    const bucket = new SecureBucket(stack, 'Uploads');
    const template = Template.fromStack(stack);
    const logs = stack.node.findChild('AegisAccessLogsBucket');
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: id(stack, logs) },
          LogFilePrefix: Match.stringLikeRegexp('^TestStackUploads[0-9A-F]{8}/$'),
        },
        LifecycleConfiguration: {
          Rules: [Match.objectLike({
            NoncurrentVersionExpiration: { NoncurrentDays: 90 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          })],
        },
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id(stack, bucket) },
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ],
      },
    });
  });

  test('under REGULATED the stack log bucket keeps current and noncurrent logs a year', () => {
    // The profile from context, without the packs: this checks the template only.
    const stack = new Stack(newApp({ context: { [Compliance.PROFILE_CONTEXT_KEY]: 'REGULATED' } }), 'TestStack');
    SecureBucket.configureAccessLogs(stack, { replication: BucketReplication.none({ reason: 'logs are shipped to the org archive account nightly' }) });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 365 } })] },
    });
  });

  test('the stack log bucket is SSE-S3 (all S3 log delivery supports), private, and accepts logs of exactly the buckets that log there', () => {
    const { stack } = plainStack();
    const a = new SecureBucket(stack, 'A');
    const b = new SecureBucket(stack, 'B');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 3);
    const logs = stack.node.findChild('AegisAccessLogsBucket');
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      // Noncurrent (overwritten or deleted) logs are kept as long as current ones.
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, NoncurrentVersionExpiration: { NoncurrentDays: 90 } })] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const delivery = logDeliveryStatements(template.toJSON());
    // One statement, naming exactly the two SecureBuckets of the stack (not every bucket of the account).
    expect(delivery).toEqual([expect.objectContaining({
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack, logs), 'Arn'] }, '/*']] },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'aws:SourceArn': [{ 'Fn::GetAtt': [id(stack, a), 'Arn'] }, { 'Fn::GetAtt': [id(stack, b), 'Arn'] }] },
      },
    })]);
    // No dependency cycle: the policy depends on the buckets it names, and they depend only on the log bucket.
    expect(dependencyCycle(template.toJSON())).toBeUndefined();
  });

  test('the log delivery statement exists only once a bucket logs there', () => {
    const { stack } = plainStack();
    SecureBucket.configureAccessLogs(stack, {});
    expect(logDeliveryStatements(Template.fromStack(stack).toJSON())).toEqual([]);
  });
});

/** The bucket policy statements of `template` that let S3 deliver server access logs. */
function logDeliveryStatements(template: any): any[] {
  return Object.values<any>(template.Resources)
    .filter((r) => r.Type === 'AWS::S3::BucketPolicy')
    .flatMap((r) => r.Properties.PolicyDocument.Statement)
    .filter((s) => s.Principal?.Service === 'logging.s3.amazonaws.com');
}

/** A resource of `template` that depends on itself through Ref, Fn::GetAtt or DependsOn, if any. */
function dependencyCycle(template: any): string | undefined {
  const resources: Record<string, any> = template.Resources;
  const refs = (value: any): string[] => {
    if (Array.isArray(value)) return value.flatMap(refs);
    if (value && typeof value === 'object') {
      if (typeof value.Ref === 'string') return [value.Ref];
      if (Array.isArray(value['Fn::GetAtt'])) return [value['Fn::GetAtt'][0]];
      return Object.values(value).flatMap(refs);
    }
    return [];
  };
  const dependsOn = (r: any): string[] => [...refs(r.Properties), ...[r.DependsOn ?? []].flat()];
  const edges = new Map(Object.entries(resources).map(([k, r]) => [k, dependsOn(r).filter((t) => t in resources)]));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string): string | undefined => {
    if (state.get(node) === 'open') return node;
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'open');
    for (const next of edges.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    state.set(node, 'done');
    return undefined;
  };
  return Object.keys(resources).map(visit).find((x) => x !== undefined);
}

describe('SecureBucket.onObjectCreated', () => {
  function wired(options: { prefix?: string; suffix?: string }) {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Processor', { code: CODE, handler: 'index.handler' });
    const bucket = new SecureBucket(stack, 'Uploads');
    const rule = bucket.onObjectCreated(fn, options);
    return { stack, fn, bucket, rule, template: Template.fromStack(stack) };
  }

  test.each([
    [{ prefix: 'incoming/', suffix: '.jpg' }, [{ wildcard: 'incoming/*.jpg' }]],
    [{ prefix: 'incoming/' }, [{ prefix: 'incoming/' }]],
    [{ suffix: '.png' }, [{ suffix: '.png' }]],
  ])('matches object keys %j through EventBridge, with no notification custom resource', (options, key) => {
    const { stack, bucket, template } = wired(options);
    template.hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.s3'], 'detail-type': ['Object Created'], 'detail': { bucket: { name: [{ Ref: id(stack, bucket) }] }, object: { key } } },
    });
    expect(Object.keys(template.findResources('Custom::S3BucketNotifications'))).toEqual([]);
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('one function may watch several prefixes, each once', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Processor', { code: CODE, handler: 'index.handler' });
    const bucket = new SecureBucket(stack, 'Uploads');
    bucket.onObjectCreated(fn, { prefix: 'a/' });
    bucket.onObjectCreated(fn, { prefix: 'b/' });
    const rules = Object.keys(Template.fromStack(stack).findResources('AWS::Events::Rule'));
    expect(rules.filter((r) => r.startsWith('UploadsOnObjectCreated'))).toHaveLength(2);
    // The rest are the stack's security-change rules.
    expect(rules.filter((r) => !r.startsWith('UploadsOnObjectCreated')).every((r) => r.startsWith('AegisMonitoringSecurityChanges'))).toBe(true);
    expect(() => bucket.onObjectCreated(fn, { prefix: 'a/' })).toThrow(/TestStack\/Processor already receives these object events; call `onObjectCreated` once per prefix and suffix/);
  });

  test('every object without prefix or suffix', () => {
    const { template } = wired({});
    const rule: any = Object.values(template.findResources('AWS::Events::Rule'))[0];
    expect(rule.Properties.EventPattern.detail.object).toBeUndefined();
  });

  test('the target retries for a day, then sends to an encrypted dead-letter queue only this rule may write to', () => {
    const { stack, fn, rule, template } = wired({ prefix: 'incoming/' });
    const dlq = rule.node.findChild('DeadLetterQueue') as any;
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [{
        Arn: { 'Fn::GetAtt': [id(stack, fn), 'Arn'] },
        Id: 'Target0',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(stack, dlq), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
      }],
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [id(stack, rule), 'Arn'] } } } })]) },
    });
    const key: any = Object.values(template.findResources('AWS::KMS::Key'))[0];
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
    }));
    expect(Object.values(template.findResources('AWS::Lambda::Permission')).map((p: any) => p.Properties)).toEqual([{
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [id(stack, fn), 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [id(stack, rule), 'Arn'] },
      SourceAccount: { Ref: 'AWS::AccountId' },
    }]);
  });

  test.each([
    ['the prefix starts with /', { prefix: '/incoming/' }, /`prefix` must not start with `\/` \(S3 keys have no leading slash\), got: "\/incoming\/"/],
    ['the prefix has a *', { prefix: 'in*' }, /`prefix` must be a non-empty part of an object key without `\*`, `\?` or `\$`, got: "in\*"/],
    ['the suffix has a policy variable', { suffix: '${aws:username}' }, /`suffix` must be a non-empty part of an object key without .*got: "\$\{aws:username\}"/],
    ['the suffix is empty', { suffix: '' }, /`suffix` must be a non-empty part of an object key/],
  ])('fails when %s', (_name, options, message) => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Processor', { code: CODE, handler: 'index.handler' });
    expect(() => new SecureBucket(stack, 'Uploads').onObjectCreated(fn, options)).toThrow(message);
  });
});

describe('SecureBucket grants', () => {
  test('the L2 grants keep their meaning, spelled out as exact actions, with KMS through S3 only', () => {
    const { stack } = plainStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const bucket = new SecureBucket(stack, 'Uploads');
    bucket.grantReadWrite(role, 'reports/*');
    const statements = iamStatements(Template.fromStack(stack)).map(({ statement }) => statement);
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack, bucket), 'Arn'] }, '/reports/*']] };
    expect(statements).toEqual([
      {
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:PutObject', 's3:PutObjectTagging',
          's3:PutObjectVersionTagging', 's3:PutObjectLegalHold', 's3:PutObjectRetention', 's3:AbortMultipartUpload', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        Effect: 'Allow',
        Resource: objects,
      },
      {
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [Object.keys(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0], 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] }, 'kms:CallerAccount': { Ref: 'AWS::AccountId' } } },
      },
      { Action: ['s3:ListBucket', 's3:GetBucketLocation'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(stack, bucket), 'Arn'] } },
    ]);
  });

  test('a principal of another account gets the object grant in the bucket policy, and a warning about the key', () => {
    const { stack } = plainStack();
    const bucket = new SecureBucket(stack, 'Shared');
    bucket.grantRead(new iam.AccountPrincipal('444455556666'), 'exports/*');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging'] })]) },
    });
    Annotations.fromStack(stack).hasWarning('/TestStack/AegisEncryptionKey', Match.stringLikeRegexp('kms:Decrypt through s3 could not be granted'));
  });

  test('fails when public access is granted', () => {
    const { stack } = plainStack();
    expect(() => new SecureBucket(stack, 'Site').grantPublicAccess()).toThrow(/`grantPublicAccess` is refused: a SecureBucket blocks all public access/);
  });

  test('fails when a key pattern starts with /', () => {
    const { stack } = plainStack();
    const fn = lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:eu-west-1:111122223333:function:x');
    expect(() => new SecureBucket(stack, 'Uploads').grantRead(fn, '/reports/*')).toThrow(/the object key pattern must be a string without a leading `\/`, `\?` or `\$\{...\}` .*got: "\/reports\/\*"/);
  });
});

describe('SecureBucket replication', () => {
  test('replicates every object, KMS-encrypted ones included, with a role scoped to the two buckets', () => {
    const { stack } = plainStack();
    const bucket = new SecureBucket(stack, 'Uploads', { replication: replicated() });
    const template = Template.fromStack(stack);
    const role = bucket.node.findChild('ReplicationRole');
    template.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Role: { 'Fn::GetAtt': [id(stack, role), 'Arn'] },
        Rules: [{
          Id: 'ReplicateEverything',
          Status: 'Enabled',
          Priority: 1,
          Filter: { Prefix: '' },
          DeleteMarkerReplication: { Status: 'Disabled' },
          SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
          Destination: { Bucket: REPLICA, EncryptionConfiguration: { ReplicaKmsKeyID: REPLICA_KEY } },
        }],
      },
    });
    const actions = iamStatements(template).filter(({ owner }) => owner.startsWith('UploadsReplicationRole')).map(({ statement }) => [statement.Action, statement.Resource]);
    expect(actions).toEqual([
      [['s3:GetReplicationConfiguration', 's3:ListBucket'], { 'Fn::GetAtt': [id(stack, bucket), 'Arn'] }],
      [['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'], { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack, bucket), 'Arn'] }, '/*']] }],
      [['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], `${REPLICA}/*`],
      ['kms:Decrypt', expect.anything()],
      [['kms:Encrypt', 'kms:GenerateDataKey'], REPLICA_KEY],
    ]);
    const replicationRole: any = Object.values(template.findResources('AWS::IAM::Role'))[0];
    expect(replicationRole.Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Principal: { Service: 's3.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });

  test('none(reason) records the opt-out against the replication rules', () => {
    const { app, stack } = enforcedStack(SecurityProfile.REGULATED);
    SecureBucket.configureAccessLogs(stack, { replication: BucketReplication.none({ reason: 'logs are shipped to the org archive account nightly' }) });
    new SecureBucket(stack, 'Scratch', { replication: BucketReplication.none({ reason: 'scratch space, rebuilt from sources' }) });
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.acknowledged.filter((a) => a.reason.includes('scratch space')).map((a) => a.acknowledgedId).sort()).toEqual([
      'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled',
      'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled',
      'PCI.DSS.321::PCI.DSS.321-S3BucketReplicationEnabled',
    ]);
    Annotations.fromStack(stack).hasWarning('/TestStack/Scratch', Match.stringLikeRegexp('replication is off \\(scratch space'));
  });

  test('fails when REGULATED has no replication', () => {
    const { stack } = enforcedStack(SecurityProfile.REGULATED);
    expect(() => new SecureBucket(stack, 'Uploads')).toThrow(/TestStack\/Uploads: the REGULATED profile requires `replication`/);
  });

  test('fails when REGULATED never configured the log bucket\'s replication', () => {
    const { stack } = enforcedStack(SecurityProfile.REGULATED);
    expect(() => new SecureBucket(stack, 'Uploads', { replication: replicated() }))
      .toThrow(/the REGULATED profile requires replication of the access log bucket too: call `SecureBucket.configureAccessLogs\(stack, \{ replication/);
  });

  test('fails when the log bucket is configured after a SecureBucket created it', () => {
    const { stack } = plainStack();
    new SecureBucket(stack, 'Uploads');
    expect(() => SecureBucket.configureAccessLogs(stack, { replication: BucketReplication.to(REPLICA) }))
      .toThrow(/the access log bucket already exists .*call `SecureBucket.configureAccessLogs\(\)` before the first SecureBucket/);
  });

  test.each([
    ['the destination is not a bucket ARN', { replication: BucketReplication.to('my-replica', { destinationKeyArn: REPLICA_KEY }) }, /`replication` destination must be a bucket ARN like `arn:aws:s3:::my-replica-bucket`, got: "my-replica"/],
    ['KMS-encrypted objects have no destination key', { replication: BucketReplication.to(REPLICA) }, /`replication` of a KMS-encrypted bucket needs `destinationKeyArn`/],
    ['the destination key is not a key ARN', { replication: BucketReplication.to(REPLICA, { destinationKeyArn: 'alias/replica' }) }, /`destinationKeyArn` must be a KMS key ARN .*got: "alias\/replica"/],
    ['the opt-out reason is short', { replication: BucketReplication.none({ reason: 'nah' }) }, /`replication` opt-out needs a reason of at least 10 characters, got: "nah"/],
    ['noncurrent versions expire after part of a day', { noncurrentVersionExpiration: Duration.hours(36) }, /`noncurrentVersionExpiration` must be a whole number of days, at least 1, got: 1 day 12 hours/],
  ])('fails when %s', (_name, props, message) => {
    const { stack } = plainStack();
    expect(() => new SecureBucket(stack, 'Uploads', props as SecureBucketProps)).toThrow(message);
  });
});

describe('SecureBucket Object Lock', () => {
  function regulatedBucket(props: SecureBucketProps = {}) {
    const { app, stack } = enforcedStack(SecurityProfile.REGULATED);
    SecureBucket.configureAccessLogs(stack, { replication: BucketReplication.to('arn:aws:s3:::access-logs-replica') });
    const bucket = new SecureBucket(stack, 'Records', { replication: replicated(), ...props });
    return { app, stack, bucket };
  }
  const bucketProperties = (stack: Stack, bucket: any) => Template.fromStack(stack).toJSON().Resources[id(stack, bucket)].Properties;

  test('is on under REGULATED, without a default retention, on a versioned bucket', () => {
    const { stack, bucket } = regulatedBucket();
    const properties = bucketProperties(stack, bucket);
    expect(properties.ObjectLockEnabled).toBe(true);
    expect(properties.ObjectLockConfiguration).toBeUndefined();
    expect(properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  test('is off under BASELINE unless turned on', () => {
    const { stack } = plainStack();
    const plain = new SecureBucket(stack, 'Plain');
    const locked = new SecureBucket(stack, 'Locked', { objectLock: Toggle.on() });
    expect(bucketProperties(stack, plain).ObjectLockEnabled).toBeUndefined();
    expect(bucketProperties(stack, locked)).toMatchObject({ ObjectLockEnabled: true, VersioningConfiguration: { Status: 'Enabled' } });
    expect(bucketProperties(stack, locked).ObjectLockConfiguration).toBeUndefined();
  });

  test('the access log bucket has none, under REGULATED too (S3 does not deliver server access logs to it)', () => {
    const { stack } = regulatedBucket();
    expect(bucketProperties(stack, stack.node.findChild('AegisAccessLogsBucket')).ObjectLockEnabled).toBeUndefined();
  });

  test('off(reason) under REGULATED is recorded on the bucket, with zero findings', () => {
    const { app, stack, bucket } = regulatedBucket({ objectLock: Toggle.off({ reason: 'objects are rebuilt from the source system' }) });
    expect(bucketProperties(stack, bucket).ObjectLockEnabled).toBeUndefined();
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.error).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/TestStack/Records', Match.stringLikeRegexp('objectLock is off \\(objects are rebuilt from the source system\\); acknowledged rules: NIST.800.53.R4::NIST.800.53.R4-S3BucketDefaultLockEnabled'));
  });

  test('off(reason) acknowledges the one Object Lock rule (NIST 800-53 R4, when an app adds that pack) on that bucket only', () => {
    const app = newApp();
    Compliance.of(app).enforce({ profile: SecurityProfile.BASELINE, additionalPacks: [new NIST80053R4Checks()] });
    const stack = new Stack(app, 'TestStack');
    new SecureBucket(stack, 'Records', { objectLock: Toggle.off({ reason: 'objects are rebuilt from the source system' }) });
    const result = synthesize(app);
    const lockRule = (f: { rule: string }) => f.rule.includes('S3BucketDefaultLockEnabled');
    expect(result.acknowledged.filter(lockRule).map((a) => `${a.acknowledgedId} @ ${a.acknowledgedAt}: ${a.reason}`)).toEqual([
      'NIST.800.53.R4::NIST.800.53.R4-S3BucketDefaultLockEnabled @ TestStack/Records: cdk-aegis (opt-out): objectLock off: objects are rebuilt from the source system',
    ]);
    // The rule also wants a default retention, which SecureBucket never sets: the log bucket is still reported.
    expect(result.findings.filter(lockRule).flatMap((f) => f.paths)).toEqual(['TestStack/AegisAccessLogsBucket/Resource']);
  });

  test('fails when the opt-out reason is short', () => {
    const { stack } = plainStack();
    expect(() => new SecureBucket(stack, 'Records', { objectLock: Toggle.off({ reason: 'no' }) }))
      .toThrow(/TestStack\/Records: `objectLock` opt-out needs a reason of at least 10 characters, got: "no"/);
  });
});

describe('the access log bucket', () => {
  test('sends its events to EventBridge, with no notification custom resource', () => {
    const { stack } = plainStack();
    new SecureBucket(stack, 'Uploads');
    const template = Template.fromStack(stack);
    const logs = stack.node.findChild('AegisAccessLogsBucket');
    expect(template.toJSON().Resources[id(stack, logs)].Properties.NotificationConfiguration)
      .toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    expect(Object.keys(template.findResources('Custom::S3BucketNotifications'))).toEqual([]);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });
});

describe('SecureBucket logical ids', () => {
  test('are locked', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Processor', { code: CODE, handler: 'index.handler' });
    new SecureBucket(stack, 'Uploads').onObjectCreated(fn, { prefix: 'incoming/' });
    const ids = Object.entries<any>(Template.fromStack(stack).toJSON().Resources)
      .filter(([k]) => k.startsWith('Uploads') || k.startsWith('AegisAccessLogs'))
      .map(([k, r]) => `${r.Type} ${k}`).sort();
    expect(ids).toEqual([
      'AWS::Events::Rule UploadsOnObjectCreatedTestStackProcessorECCD3B824D8A0CEDC5381F84',
      'AWS::Lambda::Permission UploadsOnObjectCreatedTestStackProcessorECCD3B824D8A0CEDInvokePermissionA999A2F6',
      'AWS::S3::Bucket AegisAccessLogsBucket8473211A',
      'AWS::S3::Bucket Uploads4F6EB0FD',
      'AWS::S3::BucketPolicy AegisAccessLogsBucketPolicy706174A8',
      'AWS::S3::BucketPolicy UploadsPolicy148F8199',
      'AWS::SQS::Queue UploadsOnObjectCreatedTestStackProcessorECCD3B824D8A0CEDDeadLetterQueue12BABF00',
      'AWS::SQS::QueuePolicy UploadsOnObjectCreatedTestStackProcessorECCD3B824D8A0CEDDeadLetterQueuePolicy93704F62',
    ]);
  });
});
