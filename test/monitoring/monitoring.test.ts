import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import {
  AlarmSetting,
  HttpMethod,
  Monitoring,
  SecureApi,
  SecureBucket,
  SecureFunction,
  SecureQueue,
  SecureTable,
  SecureTopic,
  SecurityProfile,
} from '../../src';
import { AegisValidationError } from '../../src/core/errors';
import { compliantVpc } from '../fixtures/compliant-vpc';
import { CODE, enforcedStack, plainStack } from '../helpers/stacks';
import { findingLines, synthesize } from '../helpers/synth';

/** Every construct with alarms, all alarms on (opt-ins included), two ways to be notified and the dashboard. */
function fullyMonitored(stack: Stack, profile: SecurityProfile) {
  const vpc = profile === SecurityProfile.REGULATED ? compliantVpc(stack) : undefined;
  const fn = (id: string) => new SecureFunction(stack, id, { code: CODE, handler: 'index.handler', vpc, reservedConcurrentExecutions: vpc ? 5 : undefined });
  const api = new SecureApi(stack, 'Api', { latencyAlarm: AlarmSetting.on() });
  api.addRoute(HttpMethod.GET, '/orders', fn('ListOrders'));
  const worker = fn('Worker');
  new SecureQueue(stack, 'Jobs', { visibilityTimeout: Duration.seconds(60) }).addConsumer(worker);
  new SecureTable(stack, 'Orders', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    throttlesAlarm: AlarmSetting.on(),
    systemErrorsAlarm: AlarmSetting.on(),
  });
  const monitoring = Monitoring.of(stack);
  monitoring.notifyEmail('oncall@example.com');
  monitoring.notifyHttps('https://events.pagerduty.com/integration/abc123/enqueue');
  // The alarm channel's own failures go elsewhere (required under REGULATED).
  monitoring.fallbackEmail('oncall-backup@example.com');
  monitoring.addDashboard();
}

const alarmsOf = (template: Template) => Object.entries(template.findResources('AWS::CloudWatch::Alarm'));

/** The stack-wide alarms on the security-change rules' delivery (their dead-letter queue, failed and lost events). */
const SECURITY_CHANGE_DELIVERY_ALARMS = ['AegisMonitoringDeadLetterQueues3E5F127C', 'AegisMonitoringRuleDeadLetterFailures8CF998D2', 'AegisMonitoringRuleFailedInvocations4822AE6D'];

describe('Monitoring compliance', () => {
  test.each([SecurityProfile.BASELINE, SecurityProfile.REGULATED])('every construct alarmed, notified and on a dashboard: zero findings in every pack under %s', (profile) => {
    const { app, stack } = enforcedStack(profile);
    fullyMonitored(stack, profile);
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    // HIPAA and NIST 800-53 R5 check alarm actions under REGULATED: they ran and found every alarm compliant.
    if (profile === SecurityProfile.REGULATED) {
      expect(result.acknowledged.filter((a) => /CloudWatchAlarmAction/.test(a.rule))).toEqual([]);
    }
  });

  test('the regulated packs do check alarm actions: an alarm without one is a finding', () => {
    const { app, stack } = enforcedStack(SecurityProfile.REGULATED);
    new cloudwatch.Alarm(stack, 'Silent', { metric: new cloudwatch.Metric({ namespace: 'Custom', metricName: 'Orders' }), threshold: 1, evaluationPeriods: 1 });
    expect(findingLines(synthesize(app).findings)).toEqual([
      'HIPAA.Security HIPAA.Security-CloudWatchAlarmAction @ TestStack/Silent/Resource',
      'NIST.800.53.R5 NIST.800.53.R5-CloudWatchAlarmAction @ TestStack/Silent/Resource',
    ]);
  });

  test('every alarm notifies the encrypted alarm topic when it fires and when it recovers', () => {
    const { stack } = plainStack();
    fullyMonitored(stack, SecurityProfile.BASELINE);
    const template = Template.fromStack(stack);
    const topics = template.findResources('AWS::SNS::Topic');
    const topicId = stack.getLogicalId(Monitoring.of(stack).alarmTopic.node.defaultChild as sns.CfnTopic);
    const fallbackId = 'AegisMonitoringAlarmFallbackTopic8CC17666';
    expect(Object.keys(topics).sort()).toEqual([fallbackId, topicId]);
    for (const topic of Object.values(topics)) {
      expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': ['AegisEncryptionKey96B6F9C4', 'Arn'] });
    }
    const alarms = alarmsOf(template);
    // Shared: dead letters of the email and HTTPS subscriptions of the alarm topic (to the fallback channel), dead letters
    // of the fallback's subscription, function errors and duration (no reserved concurrency, so no throttles);
    // API 3, WAF 1, queue 2, table 2.
    expect(alarms.map(([id]) => id).sort()).toEqual([
      'AegisMonitoringAlarmChannelDeadLetters94E8562B',
      'AegisMonitoringDeadLetterQueues3E5F127C',
      'AegisMonitoringFunctionDuration613B5187',
      'AegisMonitoringFunctionErrorsCCE85550',
      // The security-change rules' delivery (issue 16), like every rule cdk-aegis creates.
      'AegisMonitoringRuleDeadLetterFailures8CF998D2',
      'AegisMonitoringRuleFailedInvocations4822AE6D',
      'ApiLatencyAlarmFC74CB69',
      'ApiRequestSpikeAlarmA2F1F62D',
      'ApiServerErrorsAlarm652FC3ED',
      'ApiWebAclBlockedRequestsAlarmC90CEB10',
      'JobsDeadLetterAlarm25C5F1B1',
      'JobsMessageAgeAlarm37DF41FF',
      'OrdersSystemErrorsAlarmF263C7F4',
      'OrdersThrottlesAlarm7519FA31',
    ]);
    for (const [id, alarm] of alarms) {
      // An alarm never notifies the channel whose failure it reports.
      const channel = id === 'AegisMonitoringAlarmChannelDeadLetters94E8562B' ? fallbackId : topicId;
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: channel }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: channel }]);
      expect(alarm.Properties.ActionsEnabled).not.toBe(false);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
    expect(Monitoring.of(stack).alarms).toHaveLength(alarms.length);
  });

  test('only CloudWatch alarms of this account may publish, over TLS, and CloudWatch may use the key for it', () => {
    const { stack } = plainStack();
    new SecureQueue(stack, 'Jobs');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', Match.arrayWith([':cloudwatch:', ':alarm:*'])] } },
            },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
        })]),
      },
    });
  });

  test('a construct without alarms of its own gets none, and no dashboard; the stack\'s security-change rules still report to the alarm topic', () => {
    const { stack } = plainStack();
    new SecureTable(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const template = Template.fromStack(stack);
    // Only the alarms that watch the security-change rules' own delivery.
    expect(alarmsOf(template).map(([id]) => id).sort()).toEqual([
      'AegisMonitoringDeadLetterQueues3E5F127C', 'AegisMonitoringRuleDeadLetterFailures8CF998D2', 'AegisMonitoringRuleFailedInvocations4822AE6D',
    ]);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });
});

describe('SecureApi and SecureWebAcl alarms', () => {
  test('the request-count alarm is an anomaly-detection alarm on the stage', () => {
    const { stack } = plainStack();
    new SecureApi(stack, 'Api').addRoute(HttpMethod.GET, '/x', new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' }));
    const template = Template.fromStack(stack);
    const alarm = template.toJSON().Resources.ApiRequestSpikeAlarmA2F1F62D.Properties;
    expect(alarm.ComparisonOperator).toBe('GreaterThanUpperThreshold');
    expect(alarm.Threshold).toBeUndefined();
    const band = alarm.Metrics.find((m: any) => m.Id === alarm.ThresholdMetricId);
    expect(band.Expression).toMatch(/^ANOMALY_DETECTION_BAND\((\w+), 3\)$/);
    const watched = alarm.Metrics.find((m: any) => m.Id === /^ANOMALY_DETECTION_BAND\((\w+)/.exec(band.Expression)![1]);
    expect(watched.MetricStat).toEqual({
      Metric: {
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Count',
        Dimensions: [{ Name: 'ApiName', Value: 'TestStack-Api-46A8C9EA' }, { Name: 'Stage', Value: { Ref: 'ApiDeploymentStageprodB1EF9523' } }],
      },
      Period: 300,
      Stat: 'Sum',
    });
    expect(alarm).toMatchObject({ EvaluationPeriods: 3, DatapointsToAlarm: 2 });
  });

  test('the 5XX alarm watches the error rate; its threshold is given in percent', () => {
    const { stack } = plainStack();
    new SecureApi(stack, 'Api', { serverErrorsAlarm: AlarmSetting.on({ threshold: 2 }) })
      .addRoute(HttpMethod.GET, '/x', new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' }));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5XXError',
      Namespace: 'AWS/ApiGateway',
      Statistic: 'Average',
      Threshold: 0.02,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      AlarmDescription: Match.stringLikeRegexp('more than 2% of requests answered 5XX in 3 of 5 1-minute periods'),
    });
  });

  test('latency is opt-in', () => {
    const { stack } = plainStack();
    new SecureApi(stack, 'Api').addRoute(HttpMethod.GET, '/x', new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' }));
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'Latency' } }))).toEqual([]);
  });

  test('the web ACL alarm is an anomaly-detection alarm on the web ACL total of blocked requests', () => {
    const { stack } = plainStack();
    new SecureApi(stack, 'Api').addRoute(HttpMethod.GET, '/x', new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' }));
    const alarm = Template.fromStack(stack).toJSON().Resources.ApiWebAclBlockedRequestsAlarmC90CEB10.Properties;
    expect(alarm.ComparisonOperator).toBe('GreaterThanUpperThreshold');
    expect(alarm.Metrics.find((m: any) => m.Id === alarm.ThresholdMetricId).Expression).toMatch(/^ANOMALY_DETECTION_BAND\(\w+, 3\)$/);
    const stat = alarm.Metrics.find((m: any) => m.MetricStat).MetricStat;
    expect(stat.Metric.MetricName).toBe('BlockedRequests');
    expect(stat.Metric.Namespace).toBe('AWS/WAFV2');
    expect(stat.Metric.Dimensions).toEqual(expect.arrayContaining([
      { Name: 'Rule', Value: 'ALL' },
      { Name: 'Region', Value: { Ref: 'AWS::Region' } },
      { Name: 'WebACL', Value: 'TestStack-Api-WebAcl-C149B0FE' },
    ]));
    expect(Template.fromStack(stack).toJSON().Resources.ApiWebAcl28BEBB1F.Properties.VisibilityConfig.MetricName).toBe('TestStack-Api-WebAcl-C149B0FE');
  });

  test('an API on a platform-owned web ACL keeps its own alarms and leaves the web ACL\'s to its owner', () => {
    const { stack } = plainStack();
    new SecureApi(stack, 'Api', { existingWebAclArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/platform/abc' })
      .addRoute(HttpMethod.GET, '/x', new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' }));
    const alarms = alarmsOf(Template.fromStack(stack));
    expect(alarms.map(([id]) => id).filter((id) => !SECURITY_CHANGE_DELIVERY_ALARMS.includes(id)).sort()).toEqual([
      'AegisMonitoringFunctionDuration613B5187', 'AegisMonitoringFunctionErrorsCCE85550', 'ApiRequestSpikeAlarmA2F1F62D', 'ApiServerErrorsAlarm652FC3ED',
    ]);
  });
});

describe('SecureFunction alarms', () => {
  const fn = (stack: Stack, id: string, props: object = {}) => new SecureFunction(stack, id, { code: CODE, handler: 'index.handler', ...props });

  test(`functions share metric-math alarms, at most ${Monitoring.METRICS_PER_ALARM} functions each, and add no alarm resource of their own`, () => {
    const { stack } = plainStack();
    for (let i = 0; i < 11; i++) {
      fn(stack, `Fn${i}`);
    }
    const template = Template.fromStack(stack);
    const errors = alarmsOf(template).filter(([id]) => id.startsWith('AegisMonitoringFunctionErrors'));
    expect(errors.map(([id]) => id).sort()).toEqual(['AegisMonitoringFunctionErrors2AF715111', 'AegisMonitoringFunctionErrorsCCE85550']);
    const sizes = errors.map(([, a]) => a.Properties.Metrics.filter((m: any) => m.MetricStat).length).sort();
    expect(sizes).toEqual([1, 10]);
    // Errors and duration, two groups each (the other alarms watch the security-change rules' delivery).
    expect(alarmsOf(template).map(([id]) => id).filter((id) => id.startsWith('AegisMonitoringFunction'))).toHaveLength(4);
    expect(alarmsOf(template).map(([id]) => id).filter((id) => !id.startsWith('AegisMonitoringFunction')).sort()).toEqual(SECURITY_CHANGE_DELIVERY_ALARMS);
    const first = template.toJSON().Resources.AegisMonitoringFunctionErrorsCCE85550.Properties;
    expect(first.Metrics[0]).toEqual({
      Id: 'm0',
      Label: 'TestStack/Fn0',
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { Ref: stack.getLogicalId(stack.node.findChild('Fn0').node.defaultChild as any) } }] },
        Period: 300,
        Stat: 'Sum',
      },
    });
    expect(first.Metrics[10]).toMatchObject({ Id: 'worst', ReturnData: true, Expression: 'MAX([m0, m1, m2, m3, m4, m5, m6, m7, m8, m9])' });
    expect(first).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
    expect(first.AlarmDescription).toBe(
      `cdk-aegis: more than 0 errors in a 5-minute period, in one of: ${Array.from({ length: 10 }, (_, i) => `TestStack/Fn${i}`).join(', ')}`,
    );
  });

  test('the duration alarm holds each function to its own timeout: functions share it only with the same timeout', () => {
    const { stack } = plainStack();
    fn(stack, 'Default');
    fn(stack, 'AlsoDefault', { timeout: Duration.seconds(10) });
    fn(stack, 'Slow', { timeout: Duration.seconds(60) });
    const duration = alarmsOf(Template.fromStack(stack)).filter(([id]) => id.startsWith('AegisMonitoringFunctionDuration'));
    const byThreshold = Object.fromEntries(duration.map(([id, a]) => [a.Properties.Threshold, { id, ...a.Properties }]));
    expect(Object.keys(byThreshold).sort()).toEqual(['48000', '8000']);
    expect(byThreshold[8000].id).toBe('AegisMonitoringFunctionDuration613B5187');
    expect(byThreshold[8000].Metrics.map((m: any) => m.Label)).toEqual([
      'TestStack/Default', 'TestStack/AlsoDefault', 'p90 duration above 8000 ms (80% of a 10-second timeout) in 3 of 5 1-minute periods',
    ]);
    expect(byThreshold[8000].Metrics.slice(0, 2).map((m: any) => m.MetricStat.Stat)).toEqual(['p90', 'p90']);
    expect(byThreshold[8000].Metrics[2].Expression).toBe('MAX([m0, m1])');
    expect(byThreshold[48000].Metrics.map((m: any) => m.Label)[0]).toBe('TestStack/Slow');
    expect(byThreshold[48000]).toMatchObject({ EvaluationPeriods: 5, DatapointsToAlarm: 3, ComparisonOperator: 'GreaterThanThreshold' });
  });

  test('a function with its own settings joins another alarm; the others keep theirs', () => {
    const { stack } = plainStack();
    fn(stack, 'A');
    fn(stack, 'B', { errorsAlarm: AlarmSetting.on({ threshold: 5, period: Duration.minutes(1), evaluationPeriods: 3 }) });
    const errors = alarmsOf(Template.fromStack(stack)).filter(([id]) => id.startsWith('AegisMonitoringFunctionErrors'));
    expect(errors).toHaveLength(2);
    const custom = errors.find(([, a]) => a.Properties.Threshold === 5)![1].Properties;
    expect(custom).toMatchObject({ EvaluationPeriods: 3, DatapointsToAlarm: 1 });
    expect(custom.Metrics.map((m: any) => m.Label)).toEqual(['TestStack/B', expect.stringContaining('more than 5 errors in 1 of 3 1-minute periods')]);
  });

  test('throttles are watched when reserved concurrency caps the function, or on request', () => {
    const { stack } = plainStack();
    fn(stack, 'Capped', { reservedConcurrentExecutions: 5 });
    fn(stack, 'Free');
    fn(stack, 'Asked', { throttlesAlarm: AlarmSetting.on() });
    const throttles = Template.fromStack(stack).toJSON().Resources.AegisMonitoringFunctionThrottles802EC233;
    expect(throttles.Properties.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.Label)).toEqual(['TestStack/Capped', 'TestStack/Asked']);
  });

  test('an alarm turned off with a reason: the function leaves that alarm only, and the reason is recorded on it only', () => {
    const { stack } = plainStack();
    fn(stack, 'Batch', { durationAlarm: AlarmSetting.off({ reason: 'nightly batch, long runs are expected' }) });
    fn(stack, 'Api');
    const template = Template.fromStack(stack);
    const labels = (id: string) => template.toJSON().Resources[id].Properties.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.Label);
    expect(labels('AegisMonitoringFunctionDuration613B5187')).toEqual(['TestStack/Api']);
    expect(labels('AegisMonitoringFunctionErrorsCCE85550')).toEqual(['TestStack/Batch', 'TestStack/Api']);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('durationAlarm is off'));
    expect(warnings.map((w) => w.id)).toEqual(['/TestStack/Batch']);
    expect(warnings[0].entry.data).toMatch(/nightly batch, long runs are expected.*\[ack: @cdk-aegis\/opt-out:durationAlarm\]/);
  });

  test('fails when an alarm is turned off without a reason', () => {
    const { stack } = plainStack();
    expect(() => fn(stack, 'Fn', { errorsAlarm: AlarmSetting.off({ reason: '' }) }))
      .toThrow('[cdk-aegis] TestStack/Fn: `errorsAlarm` opt-out needs a reason of at least 10 characters, got: "".');
  });

  test('fails when alarm options are out of range, naming each', () => {
    const { stack } = plainStack();
    let error: AegisValidationError | undefined;
    try {
      fn(stack, 'Fn', {
        durationAlarm: AlarmSetting.on({ threshold: 150, period: Duration.minutes(5), evaluationPeriods: 300 }),
        errorsAlarm: AlarmSetting.on({ period: Duration.seconds(30), evaluationPeriods: 2, datapointsToAlarm: 3 }),
        throttlesAlarm: AlarmSetting.on({ threshold: -1, period: Duration.hours(1), evaluationPeriods: 200 }),
      });
    } catch (e) {
      error = e as AegisValidationError;
    }
    expect(error?.problems).toEqual([
      '`errorsAlarm` period must be a whole number of minutes (CloudWatch\'s metrics here are per minute), got: 30 seconds.',
      '`errorsAlarm` datapointsToAlarm must be a whole number from 1 to evaluationPeriods (2), got: 3.',
      '`durationAlarm` threshold (p90 duration, % of the timeout) must be between 1 and 100, got: 150.',
      '`durationAlarm` period × evaluationPeriods must be at most one day for periods under an hour (CloudWatch\'s limit), got: 90000 seconds.',
      '`throttlesAlarm` threshold (throttles per period) must be at least 0, got: -1.',
      '`throttlesAlarm` period × evaluationPeriods must be at most seven days (CloudWatch\'s limit), got: 720000 seconds.',
    ]);
  });
});

describe('dead letters of subscriptions and event targets', () => {
  test('one shared alarm fires on any message in the dead-letter queues cdk-aegis made for topic subscribers and bucket events', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    new SecureTopic(stack, 'Events').addSubscriber(fn);
    new SecureBucket(stack, 'Uploads').onObjectCreated(fn, { prefix: 'incoming/' });
    const alarm = Template.fromStack(stack).toJSON().Resources.AegisMonitoringDeadLetterQueues3E5F127C.Properties;
    const watched = alarm.Metrics.filter((m: any) => m.MetricStat);
    expect(watched.map((m: any) => m.Label)).toEqual([
      expect.stringMatching(/^TestStack\/Events\/SubscriptionTestStackFn/),
      // The function is invoked asynchronously (SNS, then EventBridge): its own dead-letter queue is watched too.
      'TestStack/Fn',
      expect.stringMatching(/^TestStack\/Uploads\/OnObjectCreated/),
      // The security-change rules' dead-letter queue (made at synth, after the constructs).
      'TestStack/AegisMonitoring/SecurityChangesDeadLetterQueue',
    ]);
    expect(watched.map((m: any) => [m.MetricStat.Metric.MetricName, m.MetricStat.Stat, m.MetricStat.Period])).toEqual([
      ['ApproximateNumberOfMessagesVisible', 'Maximum', 60],
      ['ApproximateNumberOfMessagesVisible', 'Maximum', 60],
      ['ApproximateNumberOfMessagesVisible', 'Maximum', 60],
      ['ApproximateNumberOfMessagesVisible', 'Maximum', 60],
    ]);
    expect(watched[0].MetricStat.Metric.Dimensions[0]).toEqual({ Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetterQueue/), 'QueueName'] } });
    expect(alarm).toMatchObject({ Threshold: 0, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarm.Metrics[4].Expression).toBe('MAX([m0, m1, m2, m3])');
  });
});

describe('nothing lost unseen on asynchronous paths', () => {
  test('a function invoked asynchronously joins the dead-letter alarm and the shared DeadLetterErrors alarm; one behind API Gateway does not', () => {
    const { stack } = plainStack();
    const worker = new SecureFunction(stack, 'Worker', { code: CODE, handler: 'index.handler' });
    new SecureBucket(stack, 'Uploads').onObjectCreated(worker);
    const api = new SecureApi(stack, 'Api');
    const handler = new SecureFunction(stack, 'Handler', { code: CODE, handler: 'index.handler' });
    api.addRoute(HttpMethod.GET, '/orders', handler);
    const resources = Template.fromStack(stack).toJSON().Resources;
    const labels = (id: string) => resources[id].Properties.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.Label);
    expect(labels('AegisMonitoringDeadLetterQueues3E5F127C')).toEqual([
      expect.stringMatching(/^TestStack\/Uploads\/OnObjectCreated/), 'TestStack/Worker', 'TestStack/AegisMonitoring/SecurityChangesDeadLetterQueue',
    ]);
    const deadLetterErrors = Object.entries<any>(resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm'
      && r.Properties.Metrics?.some((m: any) => m.MetricStat?.Metric.MetricName === 'DeadLetterErrors'));
    expect(deadLetterErrors.map(([, r]) => r.Properties.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.Label))).toEqual([['TestStack/Worker']]);
  });

  test.each([
    ['grantInvoke to EventBridge, source-restricted with conditions', (fn: SecureFunction) => fn.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com').withConditions({ ArnLike: { 'aws:SourceArn': 'arn:aws:events:eu-west-1:123456789012:rule/x' } })), true],
    ['a permission for S3', (fn: SecureFunction) => fn.addPermission('S3', { principal: new iam.ServicePrincipal('s3.amazonaws.com') }), true],
    ['a function URL for CloudFront', (fn: SecureFunction) => fn.grantInvokeUrl(new iam.ServicePrincipal('cloudfront.amazonaws.com')), false],
    ['a permission for another action', (fn: SecureFunction) => fn.addPermission('Config', { principal: new iam.ServicePrincipal('config.amazonaws.com'), action: 'lambda:GetFunction' }), false],
    ['a Lex V2 bot (synchronous)', (fn: SecureFunction) => fn.addPermission('Lex', { principal: new iam.ServicePrincipal('lexv2.amazonaws.com') }), false],
    ['another account', (fn: SecureFunction) => fn.grantInvoke(new iam.AccountPrincipal('210987654321')), false],
  ])('%s: the function joins the DeadLetterErrors alarm only for an asynchronous service invoke', (_name, grant, joins) => {
    const { stack } = plainStack();
    grant(new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' }));
    const resources = Template.fromStack(stack).toJSON().Resources;
    const watched = Object.values<any>(resources).some((r) => r.Type === 'AWS::CloudWatch::Alarm'
      && r.Properties.Metrics?.some((m: any) => m.MetricStat?.Metric.MetricName === 'DeadLetterErrors'));
    expect(watched).toBe(joins);
  });

  test('every EventBridge rule cdk-aegis creates alarms on failed invocations and on events it could not put in the dead-letter queue', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    new SecureBucket(stack, 'Uploads').onObjectCreated(fn);
    const template = Template.fromStack(stack);
    const ruleName = { Ref: Object.keys(template.findResources('AWS::Events::Rule'))[0] };
    for (const metricName of ['FailedInvocations', 'InvocationsFailedToBeSentToDlq']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 0,
        AlarmActions: [Match.anyValue()],
        Metrics: Match.arrayWith([Match.objectLike({
          MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/Events', MetricName: metricName, Dimensions: [{ Name: 'RuleName', Value: ruleName }] }, Stat: 'Sum' }),
        })]),
      });
    }
  });

  test('fails when deadLetterErrorsAlarm is turned off without a reason; with one, the opt-out is on the record', () => {
    const { stack } = plainStack();
    expect(() => new SecureFunction(stack, 'Bad', { code: CODE, handler: 'index.handler', deadLetterErrorsAlarm: AlarmSetting.off({ reason: 'no' }) }))
      .toThrow(/`deadLetterErrorsAlarm` opt-out needs a reason of at least 10 characters, got: "no"/);
    const fn = new SecureFunction(stack, 'Quiet', {
      code: CODE,
      handler: 'index.handler',
      deadLetterErrorsAlarm: AlarmSetting.off({ reason: 'events are replayed from the archive' }),
    });
    new SecureBucket(stack, 'Uploads').onObjectCreated(fn);
    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(Object.values<any>(resources).some((r) => r.Properties?.Metrics?.some((m: any) => m.MetricStat?.Metric.MetricName === 'DeadLetterErrors'))).toBe(false);
    Annotations.fromStack(stack).hasWarning('/TestStack/Quiet', Match.stringLikeRegexp('deadLetterErrorsAlarm is off \\(events are replayed from the archive\\)'));
  });
});

describe('the alarm channel\'s own failures', () => {
  const channelAlarm = (stack: Stack) => Object.entries<any>(Template.fromStack(stack).toJSON().Resources)
    .filter(([id]) => id.startsWith('AegisMonitoringAlarmChannelDeadLetters'));

  test('without a fallback (BASELINE), the alarm on the alarm topic\'s undelivered messages has no action, and a warning says so', () => {
    const { stack } = plainStack();
    new SecureQueue(stack, 'Jobs');
    Monitoring.of(stack).notifyEmail('oncall@example.com');
    const alarms = channelAlarm(stack);
    expect(alarms).toHaveLength(1);
    expect(alarms[0][1].Properties.AlarmActions).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/TestStack/AegisMonitoring', Match.stringLikeRegexp('notify no one.*fallbackEmail'));
  });

  test('fails under REGULATED without a fallback, naming what to call', () => {
    const { app, stack } = enforcedStack(SecurityProfile.REGULATED);
    new SecureTopic(stack, 'Events');
    Monitoring.of(stack).notifyEmail('oncall@example.com');
    expect(() => app.synth()).toThrow(/AegisMonitoring: the alarm topic's own delivery failures .* notify no one: call `Monitoring.of\(stack\).fallbackEmail\(address\)` or `fallbackTopic\(topic\)`.*required under REGULATED/);
  });

  test('a team\'s alarm topic (useTopic) is a channel too: its own subscribers\' failures never notify it', () => {
    const { stack } = plainStack();
    const oncall = new SecureTopic(stack, 'Oncall');
    Monitoring.of(stack).useTopic(oncall);
    oncall.addEmailSubscriber('oncall@example.com');
    const alarms = channelAlarm(stack);
    expect(alarms).toHaveLength(1);
    expect(alarms[0][1].Properties.AlarmActions).toBeUndefined();
    expect(alarms[0][1].Properties.OKActions).toBeUndefined();
    expect(() => Monitoring.of(stack).fallbackTopic(oncall)).toThrow(/must not be the alarm topic/);
  });

  test('fails when the alarm topic is the fallback topic named before it', () => {
    const { stack } = plainStack();
    const pager = new sns.Topic(stack, 'Pager');
    Monitoring.of(stack).fallbackTopic(pager);
    expect(() => Monitoring.of(stack).useTopic(pager)).toThrow(/`useTopic` must not be the fallback topic/);
  });

  test('a team\'s fallback topic receives it, and may be named after the alarm exists', () => {
    const { stack } = plainStack();
    Monitoring.of(stack).notifyEmail('oncall@example.com');
    const pager = new sns.Topic(stack, 'Pager', { masterKey: new kms.Key(stack, 'PagerKey', { enableKeyRotation: true }) });
    Monitoring.of(stack).fallbackTopic(pager);
    new SecureQueue(stack, 'Jobs');
    const [[, alarm]] = channelAlarm(stack);
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) }]);
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' })]) },
    });
  });

  test.each([
    ['the fallback is the alarm topic itself', (m: Monitoring) => m.fallbackTopic(m.alarmTopic), /must not be the alarm topic/],
    ['a second fallback topic is named', (m: Monitoring, stack: Stack) => {
      m.fallbackTopic(new sns.Topic(stack, 'A'));
      m.fallbackTopic(new sns.Topic(stack, 'B'));
    }, /the fallback channel is already TestStack\/A/],
    ['fallbackEmail follows a team\'s fallback topic', (m: Monitoring, stack: Stack) => {
      m.fallbackTopic(new sns.Topic(stack, 'A'));
      m.fallbackEmail('oncall@example.com');
    }, /`fallbackEmail\(\)` subscribes to the default fallback topic, but this stack uses its own fallback topic TestStack\/A/],
  ])('fails when %s', (_name, act, message) => {
    const { stack } = plainStack();
    expect(() => act(Monitoring.of(stack), stack)).toThrow(message);
  });
});

describe('SecureQueue and SecureTable alarms', () => {
  test('a queue alarms on any dead letter and on a message older than an hour', () => {
    const { stack } = plainStack();
    new SecureQueue(stack, 'Jobs');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['JobsDeadLetterQueue8CC426EE', 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 0,
      Period: 60,
      EvaluationPeriods: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['JobsDF1CC2D4', 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 3600,
      Period: 300,
    });
  });

  test('fails when the message-age threshold is not under the retention period (the alarm could never fire)', () => {
    const { stack } = plainStack();
    expect(() => new SecureQueue(stack, 'Jobs', { retentionPeriod: Duration.hours(1), messageAgeAlarm: AlarmSetting.on({ threshold: 3600 }) }))
      .toThrow('`messageAgeAlarm` threshold (3600 seconds) must be under `retentionPeriod` (3600 seconds): messages are deleted at that age, so the alarm could never fire.');
  });

  test('a table has no alarm by default; throttles and system errors on request, within CloudWatch\'s 10 metrics', () => {
    const { stack } = plainStack();
    new SecureTable(stack, 'Quiet', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new SecureTable(stack, 'Watched', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      throttlesAlarm: AlarmSetting.on(),
      systemErrorsAlarm: AlarmSetting.on({ threshold: 3 }),
    });
    const alarms = alarmsOf(Template.fromStack(stack));
    expect(alarms.map(([id]) => id).filter((id) => !SECURITY_CHANGE_DELIVERY_ALARMS.includes(id)).sort()).toEqual(['WatchedSystemErrorsAlarm94BD5099', 'WatchedThrottlesAlarm445459E7']);
    const system = alarms.find(([id]) => id.startsWith('WatchedSystemErrors'))![1].Properties;
    const systemMetrics = system.Metrics.filter((m: any) => m.MetricStat);
    expect(systemMetrics).toHaveLength(Monitoring.METRICS_PER_ALARM);
    expect(systemMetrics.map((m: any) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Operation').Value)).toEqual([
      'GetItem', 'BatchGetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems',
    ]);
    // DynamoDB publishes these metrics only when they are not zero: each is filled, so one operation's errors are enough.
    expect(system.Metrics.find((m: any) => m.ReturnData).Expression).toBe(systemMetrics.map((m: any) => `FILL(${m.Id}, 0)`).join(' + '));
    expect(system.Threshold).toBe(3);
    const throttles = alarms.find(([id]) => id.startsWith('WatchedThrottles'))![1].Properties;
    expect(throttles.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName)).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    expect(throttles.Metrics.find((m: any) => m.ReturnData).Expression).toBe('FILL(reads, 0) + FILL(writes, 0)');
  });

  test('turning an opt-in alarm off needs no reason and records nothing', () => {
    const { stack } = plainStack();
    new SecureTable(stack, 'Quiet', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, throttlesAlarm: AlarmSetting.off({ reason: '' }) });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('throttlesAlarm'))).toEqual([]);
    expect(alarmsOf(Template.fromStack(stack)).map(([id]) => id).sort()).toEqual(SECURITY_CHANGE_DELIVERY_ALARMS);
  });
});

describe('Monitoring topic and notifications', () => {
  test('alarms go to the team\'s own topic, and no topic is created', () => {
    const { stack } = plainStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const onCall = new sns.Topic(stack, 'OnCall', { masterKey: key });
    Monitoring.of(stack).useTopic(onCall);
    Monitoring.of(stack).useTopic(onCall); // again: nothing changes
    new SecureQueue(stack, 'Jobs', { encryptionKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    // The team's topic gets what CloudWatch (alarms) and EventBridge (security changes) need to deliver: publish grants and the use of its key.
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
          Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Condition: Match.objectLike({ StringEquals: Match.anyValue() }) }),
        ],
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'] })]) },
    });
    for (const [, alarm] of alarmsOf(template)) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(onCall.node.defaultChild as sns.CfnTopic) }]);
    }
  });

  test('fails when the topic is chosen after the first alarm, or subscribed through Monitoring when it is the team\'s', () => {
    const { stack } = plainStack();
    new SecureQueue(stack, 'Jobs');
    expect(() => Monitoring.of(stack).useTopic(new sns.Topic(stack, 'Late')))
      .toThrow(/the alarm topic is already TestStack\/AegisMonitoring\/AlarmTopic .*call `Monitoring.of\(stack\).useTopic\(topic\)` before creating constructs that have alarms/);
    const other = plainStack().stack;
    Monitoring.of(other).useTopic(new sns.Topic(other, 'OnCall'));
    expect(() => Monitoring.of(other).notifyEmail('oncall@example.com'))
      .toThrow('`notifyEmail()` subscribes to the default alarm topic, but this stack uses its own topic TestStack/OnCall; subscribe to that topic directly.');
  });

  test('email and HTTPS subscribers get an encrypted dead-letter queue each', () => {
    const { stack } = plainStack();
    Monitoring.of(stack).notifyEmail('oncall@example.com');
    Monitoring.of(stack).notifyHttps('https://hooks.example.com/alarms');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', RedrivePolicy: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: 'https://hooks.example.com/alarms', RedrivePolicy: Match.anyValue() });
    // One per subscription, and the security-change rules' one.
    expect(Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => id.includes('DeadLetterQueue'))).toHaveLength(3);
    template.resourceCountIs('AWS::SQS::Queue', 3);
    template.allResourcesProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
  });

  test('fails when an address or URL is invalid, or subscribed twice', () => {
    const { stack } = plainStack();
    const monitoring = Monitoring.of(stack);
    expect(() => monitoring.notifyEmail('oncall')).toThrow('`address` must be an email address such as `oncall@example.com`, got: "oncall".');
    expect(() => monitoring.notifyHttps('http://hooks.example.com/alarms'))
      .toThrow('`url` must be an https:// URL (SNS would send alarm contents in clear over http), got: "http://hooks.example.com/alarms".');
    monitoring.notifyEmail('oncall@example.com');
    expect(() => monitoring.notifyEmail('oncall@example.com')).toThrow('"oncall@example.com" is already subscribed to this topic.');
  });
});

describe('Monitoring warnings', () => {
  test('warns while no one receives the alarms, on the default topic only', () => {
    const quiet = plainStack().stack;
    new SecureQueue(quiet, 'Jobs');
    expect(Annotations.fromStack(quiet).findWarning('*', Match.stringLikeRegexp('no one receives this stack\'s alarms yet')).map((w) => w.id))
      .toEqual(['/TestStack/AegisMonitoring/AlarmTopic']);
    const heard = plainStack().stack;
    new SecureQueue(heard, 'Jobs');
    Monitoring.of(heard).notifyEmail('oncall@example.com');
    expect(Annotations.fromStack(heard).findWarning('*', Match.stringLikeRegexp('no one receives'))).toEqual([]);
    // A subscription CDK places under the subscriber counts too.
    const relayed = plainStack().stack;
    new SecureQueue(relayed, 'Jobs');
    Monitoring.of(relayed).alarmTopic.addSubscription(new subscriptions.LambdaSubscription(
      new SecureFunction(relayed, 'Relay', { code: CODE, handler: 'index.handler' }),
      { deadLetterQueue: new SecureQueue(relayed, 'RelayDeadLetters') },
    ));
    expect(Annotations.fromStack(relayed).findWarning('*', Match.stringLikeRegexp('no one receives'))).toEqual([]);
  });

  test('warns that an imported topic must let CloudWatch publish', () => {
    const { stack } = plainStack();
    Monitoring.of(stack).useTopic(sns.Topic.fromTopicArn(stack, 'Platform', 'arn:aws:sns:us-east-1:111122223333:platform-alarms'));
    new SecureQueue(stack, 'Jobs');
    expect(Annotations.fromStack(stack).findWarning('/TestStack/Platform', Match.stringLikeRegexp('must let cloudwatch.amazonaws.com publish'))).toHaveLength(1);
  });

  test('fails when an alarm threshold is a token', () => {
    const { stack } = plainStack();
    expect(() => new SecureQueue(stack, 'Jobs', { messageAgeAlarm: AlarmSetting.on({ threshold: Lazy.number({ produce: () => 600 }) }) }))
      .toThrow('`messageAgeAlarm` threshold must be a number known at synth time (cdk-aegis converts and checks it), got a token.');
  });
});

describe('Monitoring dashboard', () => {
  test('off by default; one call lays out every construct, those created later included', () => {
    const { stack } = plainStack();
    const early = new SecureFunction(stack, 'Early', { code: CODE, handler: 'index.handler' });
    Monitoring.of(stack).addDashboard({ dashboardName: 'orders' });
    const api = new SecureApi(stack, 'Api');
    api.addRoute(HttpMethod.GET, '/x', early);
    new SecureQueue(stack, 'Jobs');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(template.toJSON().Resources.AegisMonitoringDashboardE34A9D3A.Properties.DashboardBody);
    for (const title of ['cdk-aegis alarms', 'TestStack/Early: invocations', 'TestStack/Early: duration (p90)', 'TestStack/Api: requests',
      'TestStack/Api: latency', 'TestStack/Api/WebAcl: requests', 'TestStack/Jobs: messages', 'TestStack/Jobs: age of oldest message (s)']) {
      expect(body).toContain(title);
    }
    // The alarm status widget lists the alarms created after the call too.
    expect(body).toContain('ApiRequestSpikeAlarmA2F1F62D');
    expect(body).toContain('JobsMessageAgeAlarm');
  });

  test('shows a function whose timeout is a token, without a timeout line', () => {
    const { stack } = plainStack();
    Monitoring.of(stack).addDashboard();
    new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler', timeout: Duration.seconds(Lazy.number({ produce: () => 20 })) });
    const body = JSON.stringify(Template.fromStack(stack).toJSON().Resources.AegisMonitoringDashboardE34A9D3A.Properties.DashboardBody);
    expect(body).toContain('TestStack/Fn: duration (p90)');
    expect(body).not.toContain('"label":"timeout"');
  });

  test('fails when added twice', () => {
    const { stack } = plainStack();
    Monitoring.of(stack).addDashboard();
    expect(() => Monitoring.of(stack).addDashboard()).toThrow('`addDashboard()` was already called for this stack; one dashboard shows all its constructs.');
  });
});

describe('Monitoring logical ids', () => {
  test('are locked', () => {
    const { stack } = plainStack();
    fullyMonitored(stack, SecurityProfile.BASELINE);
    const ids = Object.entries(Template.fromStack(stack).toJSON().Resources)
      .filter(([id]) => id.startsWith('AegisMonitoring'))
      .map(([id, r]: [string, any]) => `${r.Type} ${id}`)
      .sort();
    expect(ids).toEqual([
      // Added with the fallback channel (issue 19) and the security-change rules (issue 16); every id that existed before is unchanged.
      'AWS::CloudWatch::Alarm AegisMonitoringAlarmChannelDeadLetters94E8562B',
      'AWS::CloudWatch::Alarm AegisMonitoringDeadLetterQueues3E5F127C',
      'AWS::CloudWatch::Alarm AegisMonitoringFunctionDuration613B5187',
      'AWS::CloudWatch::Alarm AegisMonitoringFunctionErrorsCCE85550',
      'AWS::CloudWatch::Alarm AegisMonitoringRuleDeadLetterFailures8CF998D2',
      'AWS::CloudWatch::Alarm AegisMonitoringRuleFailedInvocations4822AE6D',
      'AWS::CloudWatch::Dashboard AegisMonitoringDashboardE34A9D3A',
      'AWS::Events::Rule AegisMonitoringSecurityChangesFunctions45B1E6A5',
      'AWS::Events::Rule AegisMonitoringSecurityChangesKeys20149CA0',
      'AWS::Events::Rule AegisMonitoringSecurityChangesStagesD1DB12DB',
      'AWS::Events::Rule AegisMonitoringSecurityChangesWebAcls71D3599C',
      'AWS::SNS::Subscription AegisMonitoringAlarmFallbackTopicEmail222FB3996B5C90E9',
      'AWS::SNS::Subscription AegisMonitoringAlarmTopicEmail704530DC4E84B8A2',
      'AWS::SNS::Subscription AegisMonitoringAlarmTopicHttps19A1BDDAB5D5F3B0',
      'AWS::SNS::Topic AegisMonitoringAlarmFallbackTopic8CC17666',
      'AWS::SNS::Topic AegisMonitoringAlarmTopicC0CA175A',
      'AWS::SNS::TopicPolicy AegisMonitoringAlarmFallbackTopicPolicy634AB4BC',
      'AWS::SNS::TopicPolicy AegisMonitoringAlarmTopicPolicyE86CD31F',
      'AWS::SQS::Queue AegisMonitoringAlarmFallbackTopicEmail222FB399DeadLetterQueue93759481',
      'AWS::SQS::Queue AegisMonitoringAlarmTopicEmail704530DCDeadLetterQueue5700B3ED',
      'AWS::SQS::Queue AegisMonitoringAlarmTopicHttps19A1BDDADeadLetterQueue82D2EA27',
      'AWS::SQS::Queue AegisMonitoringSecurityChangesDeadLetterQueue4C66609C',
      'AWS::SQS::QueuePolicy AegisMonitoringAlarmFallbackTopicEmail222FB399DeadLetterQueuePolicyF2D4DC3A',
      'AWS::SQS::QueuePolicy AegisMonitoringAlarmTopicEmail704530DCDeadLetterQueuePolicyDF7926D5',
      'AWS::SQS::QueuePolicy AegisMonitoringAlarmTopicHttps19A1BDDADeadLetterQueuePolicyF839B3D0',
      'AWS::SQS::QueuePolicy AegisMonitoringSecurityChangesDeadLetterQueuePolicy9083D67A',
    ]);
  });
});
