import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AegisChecks, Monitoring, SecureDefaults, SecureQueue, SecureTopic, StackKey } from '../../src';
import { TEST_ENV } from '../helpers/matrix';
import { CODE } from '../helpers/stacks';
import { newApp } from '../helpers/synth';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const RECOMMENDED_FLAGS: Record<string, unknown> = require('aws-cdk-lib/recommended-feature-flags.json');

/** `Aegis-KMS1[finding] @ path` for every KMS1 violation in `stack`. */
function kms1(stack: Stack): string[] {
  return new AegisChecks().validateScope(stack).violations
    .filter((v) => v.ruleName.startsWith('Aegis-KMS1'))
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`))
    .sort();
}

/** A stack bound to an account and region, so conditions read as literals; `flags` as a new `cdk init` app has them. */
function boundStack(flags = false): Stack {
  return new Stack(newApp(flags ? { context: RECOMMENDED_FLAGS } : {}), 'S', { env: TEST_ENV });
}

const worker = (stack: Stack) => new lambda.Function(stack, 'Worker', { code: CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
const hourly = (stack: Stack) => new events.Rule(stack, 'Hourly', { schedule: events.Schedule.rate(Duration.hours(1)) });

/** The statements of the policy of `key` (the stack key unless told otherwise). Template.fromStack throws on a dependency cycle. */
function keyStatements(stack: Stack, key: kms.IKey = StackKey.of(stack)): any[] {
  const template = Template.fromStack(stack);
  const logicalId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
  return template.toJSON().Resources[logicalId].Properties.KeyPolicy.Statement;
}

/** The key-policy statements that let `service` use the key, actions sorted (aws-cdk-lib's policy minimizing reorders them). */
function serviceStatements(stack: Stack, service: string, key?: kms.IKey): any[] {
  return keyStatements(stack, key)
    .filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal) === JSON.stringify({ Service: service }))
    .map((s) => ({ ...s, Action: [s.Action].flat().sort() }));
}

const ACCOUNT = TEST_ENV.account;
const REGION = TEST_ENV.region;

/** The statement that lets EventBridge publish to the stack's encrypted topics: the security-change rules to the alarm topic. */
const topicPath = (stack: Stack) => ({
  Effect: 'Allow',
  Principal: { Service: 'events.amazonaws.com' },
  Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
  Resource: '*',
  Condition: { ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': arn(stack, `:sns:${REGION}:${ACCOUNT}:*`) } },
});
/** An ARN as a stack bound to an account and region renders it (the partition stays a pseudo parameter unless a feature flag pins it). */
const arn = (stack: Stack, rest: string) => (Token.isUnresolved(stack.partition) ? { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] } : `arn:${stack.partition}${rest}`);

describe('SecureQueue and SecureTopic let the services their policy admits use their key', () => {
  test('GIVEN an EventBridge target whose dead-letter queue is a SecureQueue THEN EventBridge may use the key for rules of this account and region', () => {
    // GIVEN
    const stack = boundStack();
    const failed = new SecureQueue(stack, 'FailedEvents');
    // WHEN
    hourly(stack).addTarget(new targets.LambdaFunction(worker(stack), { deadLetterQueue: failed }));
    // THEN: the rule's ARN would make the key depend on the rule, which depends on the queue, which depends on the key.
    // (The second statement is the topic path of the stack's security-change rules.)
    expect(serviceStatements(stack, 'events.amazonaws.com')).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': arn(stack, `:events:${REGION}:${ACCOUNT}:rule/*`) },
      },
    }, topicPath(stack)]);
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' })]) },
    });
  });

  test.each([
    ['a new app\'s feature flags (CDK scopes its own key statement to the topic)', true],
    ['no feature flags', false],
  ])('GIVEN a SecureTopic delivering to a SecureQueue on the same stack key, %s, THEN the key policy names no topic (no cycle) and lets SNS in for topics of this account', (_name, flags) => {
    // GIVEN
    const stack = boundStack(flags);
    const topic = new SecureTopic(stack, 'Orders');
    const queue = new SecureQueue(stack, 'OrderJobs');
    // WHEN
    topic.addSubscription(new subs.SqsSubscription(queue));
    // THEN
    const statements = keyStatements(stack);
    expect(JSON.stringify(statements)).not.toContain(stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic));
    expect(serviceStatements(stack, 'sns.amazonaws.com')).toContainEqual(expect.objectContaining({
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': arn(stack, `:sns:${REGION}:${ACCOUNT}:*`) },
      },
    }));
  });

  test('GIVEN targets.SqsQueue(SecureQueue) THEN EventBridge may use the key for rules of this account, and no key-grant warning is left', () => {
    // GIVEN
    const stack = boundStack(true);
    // WHEN
    hourly(stack).addTarget(new targets.SqsQueue(new SecureQueue(stack, 'Jobs')));
    // THEN: the SQS guide lists CloudWatch Events among the services that send aws:SourceArn to an encrypted queue's key.
    expect(serviceStatements(stack, 'events.amazonaws.com')).toEqual([expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': arn(stack, `:events:${REGION}:${ACCOUNT}:rule/*`) },
      },
    }), topicPath(stack)]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('could not be granted'));
  });

  test('GIVEN targets.SnsTopic(SecureTopic) THEN EventBridge may use the key without source conditions (it sends none to a topic\'s key), held to this account\'s topics by SNS\'s encryption context', () => {
    // GIVEN
    const stack = boundStack(true);
    const topic = new SecureTopic(stack, 'Events');
    // WHEN
    hourly(stack).addTarget(new targets.SnsTopic(topic));
    // THEN: "Adding the aws:SourceAccount, aws:SourceArn, and aws:SourceOrgID to a AWS KMS policy is not supported for
    // EventBridge-to-encrypted topics" (SNS developer guide, sns-key-management): a statement with them denies every delivery.
    const topicScope = { ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': arn(stack, `:sns:${REGION}:${ACCOUNT}:*`) } };
    const statements = serviceStatements(stack, 'events.amazonaws.com');
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: topicScope,
    });
    // The shared key never lets EventBridge in without a condition.
    expect(statements.filter((s) => s.Condition === undefined)).toEqual([]);
    expect(kms1(stack)).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('could not be granted'));
  });

  test('GIVEN a plain topic on the stack key as an EventBridge target THEN aws-cdk-lib\'s unconditioned statement keeps the topic path (EventBridge sends no source keys to a topic\'s key)', () => {
    // GIVEN
    const stack = boundStack(true);
    const topic = new sns.Topic(stack, 'Events', { masterKey: StackKey.of(stack) });
    // WHEN: aws-cdk-lib lets EventBridge use the key with no condition; the stack key scopes it for both delivery paths.
    StackKey.of(stack).addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')], actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: ['*'],
    }));
    hourly(stack).addTarget(new targets.SnsTopic(topic));
    // THEN
    const conditions = serviceStatements(stack, 'events.amazonaws.com').map((s) => s.Condition);
    expect(conditions).toContainEqual({ ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': arn(stack, `:sns:${REGION}:${ACCOUNT}:*`) } });
    expect(conditions).not.toContainEqual(undefined);
    expect(kms1(stack)).toEqual([]);
  });

  test('GIVEN a plain topic hardened by SecureDefaults THEN a publisher of another account is named in the key policy, through SNS, for its account only', () => {
    // GIVEN
    const app = newApp();
    SecureDefaults.of(app).apply();
    const stack = new Stack(app, 'S', { env: TEST_ENV });
    const topic = new sns.Topic(stack, 'Partners');
    // WHEN
    topic.grantPublish(new iam.AccountPrincipal('111122223333'));
    // THEN
    const partner = keyStatements(stack).filter((s) => JSON.stringify(s.Principal).includes('111122223333'));
    expect(partner).toEqual([expect.objectContaining({
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Condition: { StringEquals: { 'kms:ViaService': [`sqs.${REGION}.amazonaws.com`, `sns.${REGION}.amazonaws.com`], 'kms:CallerAccount': '111122223333' } },
    })]);
  });

  test('GIVEN an event bus on the stack key THEN EventBridge keeps every action aws-cdk-lib asks for it (kms:DescribeKey included): only delivery grants are narrowed', () => {
    // GIVEN
    const stack = boundStack(true);
    // WHEN
    new events.EventBus(stack, 'Orders', { kmsKey: StackKey.of(stack) });
    // THEN
    const actions = serviceStatements(stack, 'events.amazonaws.com').flatMap((s) => s.Action);
    expect(actions).toContain('kms:DescribeKey');
    expect(actions.filter((a: string) => a.endsWith('*'))).toEqual([]);
    // Sids stay unique.
    const sids = keyStatements(stack).map((s) => s.Sid).filter((sid) => sid !== undefined);
    expect(new Set(sids).size).toBe(sids.length);
  });

  test('GIVEN a SecureTopic and a SecureQueue on the same key, both EventBridge targets, THEN the queue path keeps its source conditions and the topic path is held by the topic encryption context', () => {
    // GIVEN
    const stack = boundStack();
    const rule = hourly(stack);
    // WHEN
    rule.addTarget(new targets.SqsQueue(new SecureQueue(stack, 'Jobs')));
    rule.addTarget(new targets.SnsTopic(new SecureTopic(stack, 'Events')));
    // THEN
    const conditions = serviceStatements(stack, 'events.amazonaws.com').map((s) => s.Condition);
    expect(conditions).not.toContainEqual(undefined);
    expect(conditions).toContainEqual({ ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': arn(stack, `:sns:${REGION}:${ACCOUNT}:*`) } });
    expect(conditions).toContainEqual({
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': arn(stack, `:events:${REGION}:${ACCOUNT}:rule/*`) },
    });
  });

  test('GIVEN the alarm topic THEN CloudWatch may use the key for alarms of this account and region only', () => {
    // GIVEN
    const stack = boundStack();
    // WHEN
    new SecureQueue(stack, 'Jobs'); // its alarms create the alarm topic
    // THEN
    expect(serviceStatements(stack, 'cloudwatch.amazonaws.com')).toEqual([expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': arn(stack, `:cloudwatch:${REGION}:${ACCOUNT}:*`) },
      },
    })]);
  });

  test.each([
    ['a SecureQueue', (stack: Stack) => new s3n.SqsDestination(new SecureQueue(stack, 'Uploads'))],
    ['a SecureTopic', (stack: Stack) => new s3n.SnsDestination(new SecureTopic(stack, 'Uploads'))],
  ])('GIVEN S3 notifications to %s THEN S3 may use the key for buckets of this account (bucket ARNs name no account or region)', (_name, destination) => {
    // GIVEN
    const stack = boundStack();
    const bucket = new s3.Bucket(stack, 'Inbox', { enforceSSL: true });
    // WHEN
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, destination(stack));
    // THEN
    expect(serviceStatements(stack, 's3.amazonaws.com')).toContainEqual(expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': arn(stack, ':s3:::*') },
      },
    }));
    // aws-cdk-lib's own statements for S3 (SqsDestination writes one with no condition and `kms:GenerateDataKey*`) are held the
    // same way on the shared stack key, with exact actions: an unscoped one would let S3 use the key for any account's buckets.
    for (const statement of serviceStatements(stack, 's3.amazonaws.com')) {
      expect(statement.Condition).toMatchObject({ StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': arn(stack, ':s3:::*') } });
      // What a delivery needs, nothing of aws-cdk-lib's wildcards or encryption actions (a delivery grant is narrowed to it).
      expect(statement.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    }
  });

  test('GIVEN a statement naming a literal source ARN THEN the key policy names exactly that source', () => {
    // GIVEN
    const stack = boundStack();
    const queue = new SecureQueue(stack, 'Partner');
    const source = 'arn:aws:sns:us-east-1:111122223333:partner-orders';
    // WHEN
    queue.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': source } },
    }));
    // THEN
    expect(serviceStatements(stack, 'sns.amazonaws.com')).toEqual([expect.objectContaining({ Condition: { ArnEquals: { 'aws:SourceArn': source } } })]);
  });

  test('GIVEN statements for an account and a Deny THEN the key policy is unchanged', () => {
    // GIVEN
    const stack = boundStack();
    const queue = new SecureQueue(stack, 'Jobs');
    const before = keyStatements(stack).length;
    // WHEN
    queue.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AccountPrincipal('111122223333')], actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    queue.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY, principals: [new iam.ServicePrincipal('events.amazonaws.com')], actions: ['sqs:SendMessage'], resources: [queue.queueArn],
    }));
    // THEN
    expect(keyStatements(stack)).toHaveLength(before);
  });

  test('GIVEN a SecureQueue on an imported key WHEN a service is let in THEN a warning says what the key policy must allow', () => {
    // GIVEN
    const stack = boundStack();
    const key = kms.Key.fromKeyArn(stack, 'TeamKey', `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    const queue = new SecureQueue(stack, 'Jobs', { encryptionKey: key });
    // WHEN
    hourly(stack).addTarget(new targets.SqsQueue(queue));
    // THEN
    Annotations.fromStack(stack).hasWarning('/S/TeamKey', Match.stringLikeRegexp(
      'the policy of imported key S/TeamKey must let events.amazonaws.com use kms:GenerateDataKey and kms:Decrypt',
    ));
  });
});

describe('Aegis-KMS1: services a queue or topic admits may use its key', () => {
  test('non-compliant: a plain encrypted queue as an EventBridge dead-letter queue', () => {
    // GIVEN
    const stack = boundStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const failed = new sqs.Queue(stack, 'FailedEvents', { encryptionMasterKey: key, enforceSSL: true });
    // WHEN
    hourly(stack).addTarget(new targets.LambdaFunction(worker(stack), { deadLetterQueue: failed }));
    // THEN
    expect(kms1(stack)).toEqual(['Aegis-KMS1[Service::events.amazonaws.com] @ S/FailedEvents/Resource']);
  });

  test('compliant: a SecureQueue as an EventBridge dead-letter queue', () => {
    // GIVEN
    const stack = boundStack();
    const failed = new SecureQueue(stack, 'FailedEvents');
    // WHEN
    hourly(stack).addTarget(new targets.LambdaFunction(worker(stack), { deadLetterQueue: failed }));
    // THEN
    expect(kms1(stack)).toEqual([]);
  });

  test('non-compliant: a plain encrypted topic S3 notifies (aws-cdk-lib opens the key to S3 only under a newer feature flag)', () => {
    // GIVEN
    const stack = boundStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'Uploads', { masterKey: key, enforceSSL: true });
    // WHEN
    new s3.Bucket(stack, 'Inbox').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SnsDestination(topic));
    // THEN
    expect(kms1(stack)).toEqual(['Aegis-KMS1[Service::s3.amazonaws.com] @ S/Uploads/Resource']);
  });

  test('compliant: a SecureTopic S3 notifies', () => {
    // GIVEN
    const stack = boundStack();
    const topic = new SecureTopic(stack, 'Uploads');
    // WHEN
    new s3.Bucket(stack, 'Inbox').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SnsDestination(topic));
    // THEN
    expect(kms1(stack)).toEqual([]);
  });

  test('compliant: plain L2 wiring where aws-cdk-lib opens the key itself (a topic as an EventBridge target, a queue subscribed to a topic)', () => {
    // GIVEN
    const stack = boundStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'Events', { masterKey: key });
    // WHEN
    hourly(stack).addTarget(new targets.SnsTopic(topic));
    topic.addSubscription(new subs.SqsSubscription(new sqs.Queue(stack, 'Copies', { encryptionMasterKey: key })));
    // THEN
    expect(kms1(stack)).toEqual([]);
  });

  test('non-compliant: a topic EventBridge publishes to whose key lets EventBridge in only under source conditions (EventBridge sends none to a topic\'s key)', () => {
    // GIVEN
    const stack = boundStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new sns.CfnTopic(stack, 'Events', { kmsMasterKeyId: key.keyArn });
    new sns.CfnTopicPolicy(stack, 'EventsPolicy', {
      topics: [topic.ref],
      policyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: topic.ref }] },
    });
    // WHEN: the key statement a queue would want, case-insensitively
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'AWS:SourceAccount': ACCOUNT } },
    }));
    // THEN
    expect(kms1(stack)).toEqual(['Aegis-KMS1[Service::events.amazonaws.com] @ S/Events']);
  });

  test('compliant: the same key statement for a queue EventBridge sends to (EventBridge sends source conditions to a queue\'s key)', () => {
    // GIVEN
    const stack = boundStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const queue = new sqs.Queue(stack, 'Inbox', { encryptionMasterKey: key });
    queue.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('events.amazonaws.com')], actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    // WHEN
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    }));
    // THEN
    expect(kms1(stack)).toEqual([]);
  });

  test('non-compliant: each missing service is a finding of its own', () => {
    // GIVEN
    const stack = boundStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const queue = new sqs.Queue(stack, 'Inbox', { encryptionMasterKey: key });
    // WHEN
    for (const service of ['events.amazonaws.com', 'scheduler.amazonaws.com']) {
      queue.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal(service)], actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    }
    // THEN
    expect(kms1(stack)).toEqual([
      'Aegis-KMS1[Service::events.amazonaws.com] @ S/Inbox/Resource',
      'Aegis-KMS1[Service::scheduler.amazonaws.com] @ S/Inbox/Resource',
    ]);
  });

  test('not applicable: queues with an AWS-managed key or SQS-managed encryption', () => {
    // GIVEN
    const stack = boundStack();
    const managed = new sqs.Queue(stack, 'Managed', { encryption: sqs.QueueEncryption.KMS_MANAGED });
    const sqsManaged = new sqs.Queue(stack, 'SqsManaged');
    // WHEN
    const rule = hourly(stack);
    rule.addTarget(new targets.SqsQueue(managed));
    rule.addTarget(new targets.SqsQueue(sqsManaged));
    // THEN
    expect(kms1(stack)).toEqual([]);
  });

  test('non-compliant: an alarm action to a topic whose own key does not let CloudWatch in (the action adds no topic policy)', () => {
    // GIVEN
    const stack = boundStack();
    const topic = new SecureTopic(stack, 'Pager', { encryptionKey: new kms.Key(stack, 'PagerKey', { enableKeyRotation: true }) });
    const alarm = new cloudwatch.Alarm(stack, 'Errors', { metric: new cloudwatch.Metric({ namespace: 'Orders', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
    // WHEN
    alarm.addAlarmAction(new cwActions.SnsAction(topic));
    // THEN
    expect(kms1(stack)).toEqual(['Aegis-KMS1[Service::cloudwatch.amazonaws.com] @ S/Pager/Resource']);
  });

  test('compliant: the same topic made the alarm topic with Monitoring.useTopic, which lets CloudWatch use its key', () => {
    // GIVEN
    const stack = boundStack();
    const topic = new SecureTopic(stack, 'Pager', { encryptionKey: new kms.Key(stack, 'PagerKey', { enableKeyRotation: true }) });
    Monitoring.of(stack).useTopic(topic);
    const alarm = new cloudwatch.Alarm(stack, 'Errors', { metric: new cloudwatch.Metric({ namespace: 'Orders', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
    // WHEN
    alarm.addAlarmAction(new cwActions.SnsAction(topic));
    // THEN
    expect(kms1(stack)).toEqual([]);
  });
});
