import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SecureFunction, SecureQueue, SecureQueueProps, SecurityProfile } from '../../src';
import { compliantVpc } from '../fixtures/compliant-vpc';
import { asArray, iamStatements } from '../helpers/iam';
import { CODE, enforcedStack, plainStack } from '../helpers/stacks';
import { findingLines, securityChangeDeadLetterAcks, synthesize } from '../helpers/synth';

const id = (stack: Stack, c: any) => stack.getLogicalId((c.node.defaultChild ?? c) as any);

describe('SecureQueue zero findings', () => {
  test.each([SecurityProfile.BASELINE, SecurityProfile.REGULATED])('a queue with a SecureFunction consumer and producer has zero findings under %s', (profile) => {
    const { app, stack } = enforcedStack(profile);
    const vpc = profile === SecurityProfile.REGULATED ? compliantVpc(stack) : undefined;
    const fn = new SecureFunction(stack, 'Worker', { code: CODE, handler: 'index.handler', vpc, reservedConcurrentExecutions: vpc ? 2 : undefined });
    const queue = new SecureQueue(stack, 'Jobs');
    queue.addConsumer(fn);
    queue.grantSendMessages(fn);
    new SecureQueue(stack, 'Ordered', { fifo: true, contentBasedDeduplication: true });
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    const defects = result.acknowledged.filter((a) => a.reason.startsWith('cdk-aegis (rule defect)')).map((a) => `${a.rule} @ ${a.acknowledgedAt}`).sort();
    expect(defects).toEqual([
      'Serverless-LambdaEventSourceMappingDestination @ TestStack/Worker/SqsEventSource:TestStackJobs4C30CD8B',
      'Serverless-SQSRedrivePolicy @ TestStack/Jobs/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ TestStack/Ordered/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ TestStack/Worker/DeadLetterQueue',
      ...securityChangeDeadLetterAcks('TestStack'),
    ].sort());
  });
});

describe('SecureQueue defaults', () => {
  test('encrypted with the stack key, TLS-only, and redriven to an encrypted dead-letter queue that keeps messages longer', () => {
    const { stack } = plainStack();
    const queue = new SecureQueue(stack, 'Jobs');
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0], 'Arn'] };
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: keyArn,
      MessageRetentionPeriod: 4 * 24 * 3600,
      VisibilityTimeout: 60,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [id(stack, queue.deadLetters), 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn, MessageRetentionPeriod: 14 * 24 * 3600, RedrivePolicy: Match.absent() });
    // The queue's, its dead-letter queue's, and the stack's security-change dead-letter queue's.
    template.resourcePropertiesCountIs('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    }, 3);
    template.resourceCountIs('AWS::SQS::QueuePolicy', 3);
  });

  test('its dead-letter queue declares itself one: it admits redrives from queues of this account and region only, and takes no redrive of its own', () => {
    const { stack } = plainStack();
    const jobs = new SecureQueue(stack, 'Jobs');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: Match.absent(),
      RedriveAllowPolicy: { redrivePermission: 'allowAll' },
      RedrivePolicy: Match.absent(),
      KmsMasterKeyId: Match.anyValue(),
    });
    // The source queue names its dead-letter queue, and nothing points back (no cycle).
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [id(stack, jobs.deadLetters), 'Arn'] }, maxReceiveCount: 5 } });
    expect(jobs.deadLetterQueue?.queue).toBe(jobs.deadLetters);
  });

  test('a FIFO queue has a FIFO dead-letter queue', () => {
    const { stack } = plainStack();
    new SecureQueue(stack, 'Ordered', { fifo: true, contentBasedDeduplication: true, maxReceiveCount: 3 });
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { FifoQueue: true }, 2);
    template.hasResourceProperties('AWS::SQS::Queue', { ContentBasedDeduplication: true, RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }) });
  });
});

describe('SecureQueue wiring', () => {
  test('addConsumer reports partial-batch failures and grants consuming this queue only', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Worker', { code: CODE, handler: 'index.handler' });
    const queue = new SecureQueue(stack, 'Jobs');
    const mapping = queue.addConsumer(fn, { batchSize: 50, maxBatchingWindow: Duration.seconds(5), maxConcurrency: 10 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [id(stack, queue), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    expect(mapping.node.path).toBe('TestStack/Worker/SqsEventSource:TestStackJobs4C30CD8B');
    const sqs = iamStatements(template).filter(({ statement }) => asArray(statement.Action).some((a) => String(a).startsWith('sqs:Receive')));
    expect(sqs.map(({ statement }) => statement.Resource)).toEqual([{ 'Fn::GetAtt': [id(stack, queue), 'Arn'] }]);
    // Every use of the shared key goes through a named service.
    const keyUses = iamStatements(template).filter(({ statement }) => asArray(statement.Action).some((a) => String(a).startsWith('kms:')));
    expect(keyUses.every(({ statement }) => statement.Condition?.StringEquals?.['kms:ViaService'] !== undefined)).toBe(true);
    expect(keyUses.some(({ statement }) => JSON.stringify(statement.Action) === '"kms:Decrypt"')).toBe(true);
  });

  test('grantSendMessages gives exact SQS actions and KMS through SQS only', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Producer', { code: CODE, handler: 'index.handler' });
    const queue = new SecureQueue(stack, 'Jobs');
    queue.grantSendMessages(fn);
    const statements = iamStatements(Template.fromStack(stack)).map(({ statement }) => statement);
    expect(statements).toContainEqual({ Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [id(stack, queue), 'Arn'] } });
    expect(statements.flatMap((s) => asArray(s.Action)).filter((a) => String(a).includes('*'))).toEqual([]);
  });
});

describe('SecureQueue validation', () => {
  test('fails when the visibility timeout is under 6 × the consumer timeout', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Worker', { code: CODE, handler: 'index.handler', timeout: Duration.seconds(30) });
    const queue = new SecureQueue(stack, 'Jobs');
    expect(() => queue.addConsumer(fn)).toThrow(
      /TestStack\/Jobs: `visibilityTimeout` \(60 s\) must be at least 6 × the timeout of consumer TestStack\/Worker \(30 s\), i.e. 180 s; .*Pass `visibilityTimeout: Duration.seconds\(180\)`/,
    );
    expect(() => new SecureQueue(stack, 'Slow', { visibilityTimeout: Duration.seconds(180) }).addConsumer(fn)).not.toThrow();
  });

  test('fails when the same function consumes the queue twice', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Worker', { code: CODE, handler: 'index.handler' });
    const queue = new SecureQueue(stack, 'Jobs');
    queue.addConsumer(fn);
    expect(() => queue.addConsumer(fn)).toThrow(/TestStack\/Worker already consumes this queue; add it once/);
  });

  test.each([
    ['retention reaches the dead-letter queue\'s 14 days', { retentionPeriod: Duration.days(14) }, /`retentionPeriod` must be at least 60 seconds and shorter than the dead-letter queue's 14 days .*got: 1209600 seconds/],
    ['the visibility timeout is over 12 hours', { visibilityTimeout: Duration.hours(13) }, /`visibilityTimeout` must be between 0 and 43200 seconds \(12 hours\), got: 46800/],
    ['maxReceiveCount is 0', { maxReceiveCount: 0 }, /`maxReceiveCount` must be a whole number from 1 to 1000, got: 0/],
    ['content-based deduplication is asked of a standard queue', { contentBasedDeduplication: true }, /`contentBasedDeduplication` applies to FIFO queues only/],
  ])('fails when %s', (_name, props, message) => {
    const { stack } = plainStack();
    expect(() => new SecureQueue(stack, 'Jobs', props as SecureQueueProps)).toThrow(message);
  });

  test.each([
    ['a FIFO batch is over 10', true, { batchSize: 11 }, /`batchSize` must be a whole number from 1 to 10 for this queue, got: 11/],
    ['a batch over 10 has no batching window', false, { batchSize: 100 }, /`batchSize` above 10 \(got 100\) needs a `maxBatchingWindow` of at least 1 second/],
    ['a batch over 10 has a zero batching window', false, { batchSize: 100, maxBatchingWindow: Duration.seconds(0) }, /needs a `maxBatchingWindow` of at least 1 second/],
    ['a FIFO queue gets a batching window', true, { maxBatchingWindow: Duration.seconds(5) }, /`maxBatchingWindow` is not supported for FIFO queues/],
  ])('fails when %s', (_name, fifo, options, message) => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Worker', { code: CODE, handler: 'index.handler' });
    expect(() => new SecureQueue(stack, 'Jobs', { fifo }).addConsumer(fn, options)).toThrow(message);
  });
});

describe('SecureQueue logical ids', () => {
  test('are locked', () => {
    const { stack } = plainStack();
    new SecureQueue(stack, 'Jobs');
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::SQS::Queue')).sort()).toEqual([
      'AegisMonitoringSecurityChangesDeadLetterQueue4C66609C', 'JobsDF1CC2D4', 'JobsDeadLetterQueue8CC426EE',
    ]);
  });
});
