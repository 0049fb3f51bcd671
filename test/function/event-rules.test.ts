import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { SecureFunction, SecureFunctionProps } from '../../src';
import { TEST_ENV } from '../helpers/matrix';
import { CODE } from '../helpers/stacks';
import { newApp } from '../helpers/synth';

function worker(): { stack: Stack; fn: SecureFunction } {
  const stack = new Stack(newApp(), 'Jobs', { env: TEST_ENV });
  return { stack, fn: new SecureFunction(stack, 'Worker', { code: CODE, handler: 'index.handler' } as SecureFunctionProps) };
}

const ruleArn = (id: RegExp) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(id.source), 'Arn'] });

describe('SecureFunction event sources: addSchedule and addEventRule', () => {
  test('addSchedule: a rule that retries, then dead-letters to an encrypted queue only it may write to; only it may invoke the function', () => {
    const { stack, fn } = worker();
    const rule = fn.addSchedule('Nightly', events.Schedule.cron({ hour: '3', minute: '0' }));
    expect(rule.node.path).toBe('Jobs/Worker/Nightly');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      State: 'ENABLED',
      Targets: [{
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Worker'), 'Arn'] },
        Id: Match.anyValue(),
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkerNightlyDeadLetterQueue'), 'Arn'] } },
      }],
    });
    // The dead-letter queue: encrypted with the stack key, and only this rule may send to it.
    t.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AegisEncryptionKey'), 'Arn'] } });
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Condition: { ArnEquals: { 'aws:SourceArn': ruleArn(/^WorkerNightly/) } },
        })]),
      },
    });
    // EventBridge may use the stack key for this account's rules only.
    const key = Object.values<any>(t.findResources('AWS::KMS::Key'))[0];
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
      Principal: { Service: 'events.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': TEST_ENV.account }, ArnLike: { 'aws:SourceArn': expect.anything() } },
    }));
    // Only this rule, from this account, may invoke the function.
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: ruleArn(/^WorkerNightly/), SourceAccount: TEST_ENV.account,
    });
    // An asynchronously invoked function: its DeadLetterErrors are alarmed, and so are events the rule could not deliver.
    const alarms = Object.values<any>(t.findResources('AWS::CloudWatch::Alarm')).map((a) => JSON.stringify(a.Properties.Metrics ?? a.Properties.MetricName));
    expect(alarms.join(' ')).toContain('DeadLetterErrors');
    expect(alarms.join(' ')).toContain('FailedInvocations');
  });

  test('addEventRule: a pattern on a given bus, with the retries set', () => {
    const { stack, fn } = worker();
    const bus = new events.EventBus(stack, 'Partners');
    fn.addEventRule('OnOrder', { source: ['partner.orders'], detailType: ['Order Placed'] }, { eventBus: bus, retryAttempts: 2, maxEventAge: Duration.hours(1) });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^Partners') },
      EventPattern: { 'source': ['partner.orders'], 'detail-type': ['Order Placed'] },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } })],
    });
  });

  test('addEventRule: the default bus unless told otherwise', () => {
    const { stack, fn } = worker();
    fn.addEventRule('OnStopped', { source: ['aws.ec2'], detailType: ['EC2 Instance State-change Notification'], detail: { state: ['stopped'] } });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', { EventBusName: Match.absent(), EventPattern: Match.objectLike({ source: ['aws.ec2'] }) });
  });

  const invalid: Array<[string, (fn: SecureFunction) => unknown, RegExp]> = [
    ['the schedule is not an events.Schedule (untyped callers)', (fn) => fn.addSchedule('S', 'rate(1 hour)' as any), /`schedule` must be .*events\.Schedule\.rate/],
    ['the pattern is empty', (fn) => fn.addEventRule('R', {}), /`eventPattern` must match on something/],
    ['a pattern field is an empty list', (fn) => fn.addEventRule('R', { source: [] }), /`eventPattern\.source` is an empty list, which EventBridge rejects/],
    ['a nested pattern field is an empty list', (fn) => fn.addEventRule('R', { source: ['aws.ec2'], detail: { state: [] } }),
      /`eventPattern\.detail\.state` is an empty list/],
    ['the pattern is not an object (untyped callers)', (fn) => fn.addEventRule('R', 'aws.ec2' as any), /`eventPattern` must be an object/],
    ['retryAttempts is above EventBridge\'s limit', (fn) => fn.addSchedule('S', events.Schedule.rate(Duration.hours(1)), { retryAttempts: 200 }),
      /`retryAttempts` must be a whole number from 0 to 185.*got: 200/],
    ['maxEventAge is under a minute', (fn) => fn.addSchedule('S', events.Schedule.rate(Duration.hours(1)), { maxEventAge: Duration.seconds(30) }),
      /`maxEventAge` must be from 1 minute to 24 hours.*got: 30 s/],
    ['a schedule names an event bus', (fn) => fn.addSchedule('S', events.Schedule.rate(Duration.hours(1)), { eventBus: events.EventBus.fromEventBusName(fn, 'B', 'b') } as any),
      /`eventBus` does not apply to schedules/],
    ['the id is taken', (fn) => { fn.addSchedule('S', events.Schedule.rate(Duration.hours(1))); return fn.addSchedule('S', events.Schedule.rate(Duration.hours(2))); },
      /already has a child `S`; give each rule its own id/],
    ['the id is empty', (fn) => fn.addSchedule('', events.Schedule.rate(Duration.hours(1))), /`addSchedule` needs an id/],
  ];
  test.each(invalid)('fails when %s', (_name, call, message) => {
    const { fn } = worker();
    expect(() => call(fn)).toThrow(message);
  });
});
