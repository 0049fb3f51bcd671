import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AlarmSetting, SecureFunction, SecureTable, StreamConsumerOptions } from '../../src';
import { TEST_ENV } from '../helpers/matrix';
import { CODE } from '../helpers/stacks';
import { newApp } from '../helpers/synth';

function tableAndWorker(props: { stream?: dynamodb.StreamViewType } = {}) {
  const stack = new Stack(newApp(), 'Orders', { env: TEST_ENV });
  const table = new SecureTable(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, ...props });
  const fn = new SecureFunction(stack, 'Projector', { code: CODE, handler: 'index.handler' });
  return { stack, table, fn };
}

/** The statements of the function's own role (its inline policies, in BASELINE). */
function functionStatements(stack: Stack): any[] {
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
  return Object.entries<any>(roles).filter(([id]) => id.startsWith('ProjectorServiceRole'))
    .flatMap(([, r]) => (r.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement));
}

describe('SecureTable.addStreamConsumer', () => {
  test('turns the stream on and maps it with bisection, partial-batch failures, bounded retries and age, and an encrypted on-failure queue', () => {
    const { stack, table, fn } = tableAndWorker();
    const mapping = table.addStreamConsumer(fn, {
      filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    expect(table.tableStreamArn).toBeDefined();
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Orders'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersOrdersProjector.*Failures'), 'Arn'] } } },
      FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
    });
    t.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AegisEncryptionKey'), 'Arn'] } });
    // Lambda checks the role when it creates the mapping: the mapping waits for the function's policy.
    const mappingResource = Object.values<any>(t.findResources('AWS::Lambda::EventSourceMapping'))[0];
    expect(mappingResource.DependsOn.join(' ')).toMatch(/ProjectorServiceRole/);
    expect(mapping.node.path).toMatch(/^Orders\/Projector\/DynamoDBstreamConsumer/);
  });

  test('the function may read this table\'s stream only, and write its failures to its own queue', () => {
    const { stack, table, fn } = tableAndWorker();
    table.addStreamConsumer(fn);
    const statements = functionStatements(stack);
    const streamArn = { 'Fn::GetAtt': [expect.stringMatching(/^Orders/), 'StreamArn'] };
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], Resource: streamArn,
    }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'dynamodb:ListStreams', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Orders/), 'Arn'] }, '/stream/*']] },
    }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${TEST_ENV.region}.amazonaws.com`, 'kms:CallerAccount': TEST_ENV.account } },
    }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersOrdersProjector.*Failures/), 'Arn'] },
    }));
    // No table data: the stream's records are what it gets.
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => /^dynamodb:(Get|Put|Query|Scan|Update|Delete|Batch)/.test(a) && a !== 'dynamodb:GetRecords'
      && a !== 'dynamodb:GetShardIterator')).toEqual([]);
  });

  test('a stream view the table chose stays; options override the defaults', () => {
    const { stack, table, fn } = tableAndWorker({ stream: dynamodb.StreamViewType.KEYS_ONLY });
    table.addStreamConsumer(fn, {
      batchSize: 10,
      retryAttempts: 0,
      maxRecordAge: Duration.minutes(5),
      startingPosition: lambda.StartingPosition.LATEST,
      maxBatchingWindow: Duration.seconds(5),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'KEYS_ONLY' } });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10, MaximumRetryAttempts: 0, MaximumRecordAgeInSeconds: 300, StartingPosition: 'LATEST', MaximumBatchingWindowInSeconds: 5,
    });
  });

  test('the consumer\'s lag is alarmed (IteratorAge above an hour for 15 minutes, on the alarm topic), unless turned off with a reason', () => {
    const { stack, table, fn } = tableAndWorker();
    table.addStreamConsumer(fn);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Statistic: 'Maximum',
      Threshold: 3600000,
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^Projector') } }],
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AegisMonitoringAlarmTopic') }],
    });
    const quiet = tableAndWorker();
    quiet.table.addStreamConsumer(quiet.fn, { iteratorAgeAlarm: AlarmSetting.off({ reason: 'a nightly replay job; lag is expected' }) });
    expect(Object.values<any>(Template.fromStack(quiet.stack).findResources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.MetricName === 'IteratorAge'))
      .toEqual([]);
  });

  test('grantStreamRead gives the same exact reads as a consumer (the L2 grants dynamodb:ListStreams on *), and fails without a stream', () => {
    const { stack, table, fn } = tableAndWorker({ stream: dynamodb.StreamViewType.NEW_IMAGE });
    table.grantStreamRead(fn);
    const statements = functionStatements(stack);
    expect(statements.flatMap((s) => [s.Resource].flat()).filter((r) => r === '*')).toEqual([]);
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Orders/), 'StreamArn'] },
    }));
    const plain = tableAndWorker();
    expect(() => plain.table.grantStreamRead(plain.fn)).toThrow(/`grantStreamRead` needs the table's stream: pass `stream`/);
  });

  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    ['batchSize is above 10,000', { batchSize: 20000 }, /`batchSize` must be a whole number from 1 to 10000, got: 20000/],
    ['retryAttempts is negative', { retryAttempts: -1 }, /`retryAttempts` must be a whole number from 0 to 10000, got: -1/],
    ['maxRecordAge is over 7 days', { maxRecordAge: Duration.days(8) }, /`maxRecordAge` must be from 1 minute to 7 days, got: 691200 s/],
    ['maxBatchingWindow is over 5 minutes', { maxBatchingWindow: Duration.minutes(6) }, /`maxBatchingWindow` must be from 0 to 300 seconds/],
    ['the starting position needs a timestamp', { startingPosition: lambda.StartingPosition.AT_TIMESTAMP }, /AT_TIMESTAMP needs a timestamp/],
    ['a filter is not an object (untyped callers)', { filters: ['INSERT'] }, /`filters\[0\]` must be an object/],
    ['the lag alarm is a boolean (untyped callers)', { iteratorAgeAlarm: false }, /`iteratorAgeAlarm` must be/],
  ];
  test.each(invalid)('fails when %s', (_name, options, message) => {
    const { table, fn } = tableAndWorker();
    expect(() => table.addStreamConsumer(fn, options as StreamConsumerOptions)).toThrow(message);
  });

  test('fails when the consumer is not a function (untyped callers), or consumes the stream twice', () => {
    const { table, fn } = tableAndWorker();
    expect(() => table.addStreamConsumer('Projector' as any)).toThrow(/`consumer` must be a lambda\.IFunction.*got: "Projector"/);
    table.addStreamConsumer(fn);
    expect(() => table.addStreamConsumer(fn)).toThrow(/Orders\/Projector already consumes this DynamoDB stream; add it once/);
  });
});
