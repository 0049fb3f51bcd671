import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Compliance, SecureFunction, SecureStream, SecureStreamProps } from '../../src';
import { TEST_ENV } from '../helpers/matrix';
import { CODE } from '../helpers/stacks';
import { newApp, synthesize } from '../helpers/synth';

const KEY = { 'Fn::GetAtt': [Match.stringLikeRegexp('^AegisEncryptionKey'), 'Arn'] };

function streamStack() {
  const app = newApp();
  Compliance.of(app).enforce();
  const stack = new Stack(app, 'Clicks', { env: TEST_ENV });
  return { app, stack, fn: (id: string) => new SecureFunction(stack, id, { code: CODE, handler: 'index.handler' }) };
}

/** The statements of a function's own role (its inline policies, in BASELINE). */
function roleStatements(stack: Stack, fnId: string): any[] {
  return Object.entries<any>(Template.fromStack(stack).findResources('AWS::IAM::Role')).filter(([id]) => id.startsWith(`${fnId}ServiceRole`))
    .flatMap(([, r]) => (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement));
}

describe('SecureStream', () => {
  test('defaults: the stack key, on demand, 24 hours, retained; KDS3 (which wants the AWS-managed key) acknowledged as a rule defect', () => {
    const { app, stack } = streamStack();
    new SecureStream(stack, 'Clicks');
    const t = Template.fromStack(stack);
    t.hasResource('AWS::Kinesis::Stream', {
      Properties: {
        StreamEncryption: { EncryptionType: 'KMS', KeyId: KEY },
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        RetentionPeriodHours: 24,
        ShardCount: Match.absent(),
      },
      DeletionPolicy: 'Retain',
    });
    const result = synthesize(app);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.acknowledged.filter((a) => a.rule === 'AwsSolutions-KDS3').map((a) => a.reason))
      .toEqual([expect.stringMatching(/^cdk-aegis \(rule defect\): the stream is encrypted with a customer-managed key/)]);
  });

  test('a provisioned stream takes its shards; retention can grow', () => {
    const { stack } = streamStack();
    new SecureStream(stack, 'Clicks', { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: 4, retentionPeriod: Duration.days(7) });
    Template.fromStack(stack).hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 4, RetentionPeriodHours: 168, StreamModeDetails: { StreamMode: 'PROVISIONED' } });
  });

  test('addConsumer: the failure path of every stream consumer, and reads of this stream only', () => {
    const { stack, fn } = streamStack();
    const clicks = new SecureStream(stack, 'Clicks');
    clicks.addConsumer(fn('Aggregator'), { batchSize: 500 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Clicks'), 'Arn'] },
      BatchSize: 500,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 21600,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('Failures'), 'Arn'] } } },
    });
    const statements = roleStatements(stack, 'Aggregator');
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Clicks/), 'Arn'] },
    }));
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'kms:Decrypt', Condition: { StringEquals: expect.objectContaining({ 'kms:ViaService': `kinesis.${TEST_ENV.region}.amazonaws.com` }) } }));
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => a === 'kinesis:ListStreams' || a.endsWith('*'))).toEqual([]);
  });

  test('addConsumer with enhanced fan-out: a consumer of its own, which the mapping reads and the function subscribes to', () => {
    const { stack, fn } = streamStack();
    new SecureStream(stack, 'Clicks').addConsumer(fn('Aggregator'), { enhancedFanOut: true });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Kinesis::StreamConsumer', 1);
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClicksFanOut'), 'ConsumerARN'] } });
    expect(roleStatements(stack, 'Aggregator')).toContainEqual(expect.objectContaining({
      Action: ['kinesis:SubscribeToShard', 'kinesis:DescribeStreamConsumer'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ClicksFanOut/), 'ConsumerARN'] },
    }));
  });

  test('grants name exact actions and use the key through Kinesis only', () => {
    const { stack, fn } = streamStack();
    const clicks = new SecureStream(stack, 'Clicks');
    clicks.grantWrite(fn('Collector'));
    clicks.grantReadWrite(fn('Replayer'));
    const collector = roleStatements(stack, 'Collector');
    expect(collector).toContainEqual(expect.objectContaining({ Action: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary'] }));
    expect(collector).toContainEqual(expect.objectContaining({ Action: 'kms:GenerateDataKey' }));
    expect(roleStatements(stack, 'Replayer')).toContainEqual(expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }));
  });

  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    ['the retention is under 24 hours', { retentionPeriod: Duration.hours(12) }, /`retentionPeriod` must be whole hours from 24 to 8760.*got: 12 h/],
    ['shards are given to an on-demand stream', { shardCount: 2 }, /`shardCount` applies to PROVISIONED streams only/],
    ['the mode is a string (untyped callers)', { streamMode: 'on demand' }, /`streamMode` must be a member of `kinesis\.StreamMode`/],
    ['the key is not a key (untyped callers)', { encryptionKey: 'alias/mine' }, /`encryptionKey` must be a kms\.IKey/],
  ];
  test.each(invalid)('fails when %s', (_name, props, message) => {
    const { stack } = streamStack();
    expect(() => new SecureStream(stack, 'Clicks', props as SecureStreamProps)).toThrow(message);
  });

  test('fails when a function reads the stream through enhanced fan-out twice', () => {
    const { stack, fn } = streamStack();
    const clicks = new SecureStream(stack, 'Clicks');
    const aggregator = fn('Aggregator');
    clicks.addConsumer(aggregator, { enhancedFanOut: true });
    expect(() => clicks.addConsumer(aggregator, { enhancedFanOut: true })).toThrow(/Clicks\/Aggregator already reads this stream through enhanced fan-out; add it once/);
  });

  test('fails when enhancedFanOut is not a boolean (untyped callers)', () => {
    const { stack, fn } = streamStack();
    expect(() => new SecureStream(stack, 'Clicks').addConsumer(fn('Aggregator'), { enhancedFanOut: 'yes' } as any)).toThrow(/`enhancedFanOut` must be true or false, got: "yes"/);
  });
});
