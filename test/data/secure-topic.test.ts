import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SecureFunction, SecureTopic, SecurityProfile } from '../../src';
import { compliantVpc } from '../fixtures/compliant-vpc';
import { asArray, iamStatements } from '../helpers/iam';
import { CODE, enforcedStack, plainStack } from '../helpers/stacks';
import { findingLines, synthesize } from '../helpers/synth';

const id = (stack: Stack, c: any) => stack.getLogicalId((c.node.defaultChild ?? c) as any);

function subscribed() {
  const { app, stack } = plainStack();
  const fn = new SecureFunction(stack, 'Notifier', { code: CODE, handler: 'index.handler' });
  const topic = new SecureTopic(stack, 'Events');
  const subscription = topic.addSubscriber(fn, { filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order'] }) } });
  return { app, stack, fn, topic, subscription, template: Template.fromStack(stack) };
}

describe('SecureTopic zero findings', () => {
  test.each([SecurityProfile.BASELINE, SecurityProfile.REGULATED])('a topic with a subscriber and a publisher has zero findings under %s', (profile) => {
    const { app, stack } = enforcedStack(profile);
    const vpc = profile === SecurityProfile.REGULATED ? compliantVpc(stack) : undefined;
    const fn = new SecureFunction(stack, 'Notifier', { code: CODE, handler: 'index.handler', vpc, reservedConcurrentExecutions: vpc ? 2 : undefined });
    const topic = new SecureTopic(stack, 'Events');
    topic.addSubscriber(fn);
    topic.grantPublish(fn);
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.acknowledged.filter((a) => a.acknowledgedAt.startsWith('TestStack/Events')).map((a) => `${a.rule} @ ${a.acknowledgedAt}`).sort()).toEqual([
      'AwsSolutions-SQS3 @ TestStack/Events/SubscriptionTestStackNotifier330D68BE/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ TestStack/Events/SubscriptionTestStackNotifier330D68BE/DeadLetterQueue',
    ]);
  });
});

describe('SecureTopic', () => {
  test('is encrypted with the stack key, signs with SHA-256, passes trace context through, and refuses publishing without TLS', () => {
    const { template } = subscribed();
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0], 'Arn'] },
      SignatureVersion: '2',
      // Active tracing needs an account-level X-Ray resource policy (at most 5 per account): off unless asked for.
      TracingConfig: 'PassThrough',
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('a subscriber gets a filtered subscription with an encrypted dead-letter queue only this topic may write to', () => {
    const { stack, topic, fn, subscription, template } = subscribed();
    const dlq = subscription.node.findChild('DeadLetterQueue') as any;
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [id(stack, fn), 'Arn'] },
      TopicArn: { Ref: id(stack, topic) },
      FilterPolicy: { kind: ['order'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [id(stack, dlq), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'sqs:SendMessage',
          Principal: { Service: 'sns.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': { Ref: id(stack, topic) } } },
        })]),
      },
    });
  });

  test('only this topic, from this account, may invoke the subscriber', () => {
    const { stack, topic, fn, template } = subscribed();
    expect(Object.values(template.findResources('AWS::Lambda::Permission')).map((p: any) => p.Properties)).toEqual([{
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [id(stack, fn), 'Arn'] },
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: id(stack, topic) },
      SourceAccount: { Ref: 'AWS::AccountId' },
    }]);
  });

  test('the key policy lets SNS encrypt dead letters for topics of this account only', () => {
    const { template } = subscribed();
    const policy: any = Object.values(template.findResources('AWS::KMS::Key'))[0];
    expect(policy.Properties.KeyPolicy.Statement).toContainEqual({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':*']] } },
      },
    });
  });

  test('grantPublish gives sns:Publish on this topic and KMS through SNS only', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Publisher', { code: CODE, handler: 'index.handler' });
    const topic = new SecureTopic(stack, 'Events');
    topic.grantPublish(fn);
    const statements = iamStatements(Template.fromStack(stack)).map(({ statement }) => statement);
    expect(statements).toContainEqual({ Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: id(stack, topic) } });
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.amazonaws.com']] }, 'kms:CallerAccount': { Ref: 'AWS::AccountId' } } },
    }));
    expect(statements.flatMap((s) => asArray(s.Action)).filter((a) => String(a).includes('*'))).toEqual([]);
  });

  test('fails when a Lambda function subscribes to a FIFO topic (FIFO topics deliver to SQS only)', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    const topic = new SecureTopic(stack, 'Ordered', { fifo: true, contentBasedDeduplication: true });
    expect(() => topic.addSubscriber(fn)).toThrow(/a FIFO topic delivers to SQS queues only, not to Lambda; subscribe a FIFO SecureQueue/);
  });

  test('fails when the same function subscribes twice', () => {
    const { topic, fn } = subscribed();
    expect(() => topic.addSubscriber(fn)).toThrow(/TestStack\/Notifier is already subscribed to this topic/);
  });

  test('activeTracing turns on segments sent by SNS itself, for accounts that have the X-Ray resource policy', () => {
    const { stack } = plainStack();
    new SecureTopic(stack, 'Traced', { activeTracing: true });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { TracingConfig: 'Active' });
  });

  test('fails when content-based deduplication is asked of a standard topic', () => {
    const { stack } = plainStack();
    expect(() => new SecureTopic(stack, 'Events', { contentBasedDeduplication: true })).toThrow(/TestStack\/Events: `contentBasedDeduplication` applies to FIFO topics only/);
  });

  test('logical ids are locked', () => {
    const { template } = subscribed();
    const ids = Object.entries<any>(template.toJSON().Resources).filter(([k]) => k.startsWith('Events')).map(([k, r]) => `${r.Type} ${k}`).sort();
    expect(ids).toEqual([
      'AWS::Lambda::Permission EventsSubscriptionTestStackNotifier330D68BEInvokePermission2D0E6579',
      'AWS::SNS::Subscription EventsSubscriptionTestStackNotifier330D68BE9CFAB3EE',
      'AWS::SNS::Topic EventsD32975C2',
      'AWS::SNS::TopicPolicy EventsPolicyE4A9312A',
      'AWS::SQS::Queue EventsSubscriptionTestStackNotifier330D68BEDeadLetterQueueB8D9FA8D',
      'AWS::SQS::QueuePolicy EventsSubscriptionTestStackNotifier330D68BEDeadLetterQueuePolicyCB2FE077',
    ]);
  });
});
