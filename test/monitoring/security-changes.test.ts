import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  HttpMethod,
  Monitoring,
  SecretRotation,
  SecureApi,
  SecureBucket,
  SecureFunction,
  SecureQueue,
  SecureSecret,
  SecureTable,
  SecurityChange,
  StackKey,
} from '../../src';
import { CHANGE_KINDS, MAX_PATTERN_CHARACTERS } from '../../src/monitoring/security-changes';
import { deployedValue, matchesPattern } from '../helpers/event-pattern';
import { CODE } from '../helpers/stacks';
import { newApp } from '../helpers/synth';

const ACCOUNT = '123456789012';
const id = (stack: Stack, c: any) => stack.getLogicalId((c.node.defaultChild ?? c) as any);

/** A stack in us-east-1 (where IAM's events arrive) with one resource of every kind the rules watch. */
function watchedStack(region = 'us-east-1') {
  const stack = new Stack(newApp(), 'Shop', { env: { account: ACCOUNT, region } });
  const fn = new SecureFunction(stack, 'Orders', { code: CODE, handler: 'index.handler' });
  const rotator = new SecureFunction(stack, 'Rotator', { code: CODE, handler: 'index.handler' });
  const rotated = new SecureSecret(stack, 'DbPassword', { rotation: SecretRotation.schedule(rotator) });
  const apiKey = new SecureSecret(stack, 'ApiKey', { rotation: SecretRotation.none({ reason: 'issued by a partner, rotated in its portal' }) });
  const api = new SecureApi(stack, 'Api');
  api.addRoute(HttpMethod.GET, '/orders', fn);
  const bucket = new SecureBucket(stack, 'Uploads');
  new SecureTable(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  Monitoring.of(stack).notifyEmail('oncall@example.com');
  Monitoring.of(stack).fallbackEmail('platform@example.com');
  const template = Template.fromStack(stack);
  return { stack, fn, rotator, rotated, apiKey, api, bucket, template };
}

/** Each deployed physical value: `Ref` of X is `x-physical`, `Fn::GetAtt` X.Arn an ARN of the resource's service, X.Id `x-id`. */
function deploy(template: Template, region: string) {
  const resources = template.toJSON().Resources;
  const service = (logicalId: string) => String(resources[logicalId]?.Type ?? 'AWS::Unknown::X').split('::')[1].toLowerCase();
  const deployed = (logicalId: string, attribute?: string) => {
    if (attribute === undefined) {
      // A secret's and a key's Ref is their ARN and id; everything else, a name.
      if (resources[logicalId]?.Type === 'AWS::SecretsManager::Secret') return `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${logicalId}-AbCdEf`;
      if (resources[logicalId]?.Type === 'AWS::KMS::Key') return `${logicalId.toLowerCase()}-1111-2222-3333-444444444444`;
      return `${logicalId}-physical`;
    }
    return attribute === 'Arn' ? `arn:aws:${service(logicalId)}:${region}:${ACCOUNT}:${logicalId}` : `${logicalId}-${attribute.toLowerCase()}`;
  };
  return (value: unknown) => deployedValue(value, deployed, { 'AWS::Partition': 'aws', 'AWS::Region': region, 'AWS::AccountId': ACCOUNT });
}

/** The deployed patterns of the rules for `change`. */
function patternsOf(template: Template, change: SecurityChange, region = 'us-east-1'): any[] {
  const toDeployed = deploy(template, region);
  return Object.entries<any>(template.findResources('AWS::Events::Rule'))
    .filter(([logicalId]) => logicalId.startsWith(`AegisMonitoringSecurityChanges${change}`))
    .map(([, rule]) => toDeployed(rule.Properties.EventPattern));
}

/** A CloudTrail "AWS API Call" event as EventBridge delivers it. */
function apiCall(source: string, eventName: string, detail: Record<string, unknown>, byCloudFormation = false) {
  return {
    'source': source,
    'detail-type': 'AWS API Call via CloudTrail',
    'detail': {
      eventSource: `${source.replace('aws.', '')}.amazonaws.com`,
      eventName,
      userAgent: byCloudFormation ? 'cloudformation.amazonaws.com' : 'aws-cli/2.15.0 Python/3.11',
      sourceIPAddress: byCloudFormation ? 'cloudformation.amazonaws.com' : '203.0.113.7',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/mallory` },
      ...detail,
    },
  };
}

const matchedBy = (patterns: any[], event: any) => patterns.some((p) => matchesPattern(p, event));

describe('security changes made outside CloudFormation', () => {
  const { stack, fn, rotator, rotated, apiKey, api, bucket, template } = watchedStack();
  const toDeployed = deploy(template, 'us-east-1');
  const physical = (value: unknown) => toDeployed(stack.resolve(value)) as string;

  test.each([
    [SecurityChange.FUNCTIONS, 'aws.lambda', 'UpdateFunctionCode20150331v2', () => ({ requestParameters: { functionName: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${physical(fn.functionName)}` } }), () => ({ requestParameters: { functionName: 'SomeoneElsesFunction' } })],
    [SecurityChange.FUNCTIONS, 'aws.lambda', 'PutFunctionConcurrency20171031', () => ({ requestParameters: { functionName: physical(fn.functionName) } }), () => ({ requestParameters: { functionName: 'Other' } })],
    [SecurityChange.ROLES, 'aws.iam', 'AttachRolePolicy', () => ({ requestParameters: { roleName: physical(fn.role!.roleName) } }), () => ({ requestParameters: { roleName: 'OtherRole' } })],
    [SecurityChange.KEYS, 'aws.kms', 'ScheduleKeyDeletion', () => ({ requestParameters: { keyId: physical((StackKey.of(stack) as any).keyId) } }), () => ({ requestParameters: { keyId: 'ffffffff-1111-2222-3333-444444444444' } })],
    [SecurityChange.KEYS, 'aws.kms', 'PutKeyPolicy', () => ({ requestParameters: { keyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${physical((StackKey.of(stack) as any).keyId)}` } }), () => ({ requestParameters: { keyId: 'alias/other' } })],
    [SecurityChange.SECRETS, 'aws.secretsmanager', 'PutSecretValue', () => ({ responseElements: { arn: physical(apiKey.secretArn) } }), () => ({ responseElements: { arn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:other-AbCdEf` } })],
    [SecurityChange.WEB_ACLS, 'aws.wafv2', 'UpdateWebACL', () => ({ requestParameters: { id: `${Object.keys(template.findResources('AWS::WAFv2::WebACL'))[0]}-id` } }), () => ({ requestParameters: { id: 'other-id' } })],
    [SecurityChange.STAGES, 'aws.apigateway', 'UpdateStage', () => ({ requestParameters: { restApiId: physical(api.restApi.restApiId), stageName: 'prod' } }), () => ({ requestParameters: { restApiId: 'otherapi01', stageName: 'prod' } })],
    [SecurityChange.BUCKET_POLICIES, 'aws.s3', 'PutBucketPolicy', () => ({ requestParameters: { bucketName: physical(bucket.bucketName) } }), () => ({ requestParameters: { bucketName: 'someone-elses-bucket' } })],
  ])('%s: %s %s on this stack\'s resource is reported; by CloudFormation or on another resource it is not', (change, source, eventName, ours, theirs) => {
    const patterns = patternsOf(template, change);
    expect(patterns.length).toBeGreaterThan(0);
    expect(matchedBy(patterns, apiCall(source, eventName, ours()))).toBe(true);
    expect(matchedBy(patterns, apiCall(source, eventName, ours(), true))).toBe(false);
    expect(matchedBy(patterns, apiCall(source, eventName, theirs()))).toBe(false);
    expect(matchedBy(patterns, apiCall(source, 'GetPolicy', ours()))).toBe(false);
  });

  test('CloudFormation is recognized by the source AWS records, not by the user agent a caller chooses; failed calls changed nothing', () => {
    const patterns = patternsOf(template, SecurityChange.FUNCTIONS);
    const change = { requestParameters: { functionName: physical(fn.functionName) } };
    const forged = apiCall('aws.lambda', 'UpdateFunctionCode20150331v2', change);
    (forged.detail as any).userAgent = 'cloudformation.amazonaws.com';
    expect(matchedBy(patterns, forged)).toBe(true);
    const denied = apiCall('aws.lambda', 'UpdateFunctionCode20150331v2', { ...change, errorCode: 'AccessDenied' });
    expect(matchedBy(patterns, denied)).toBe(false);
    // A function whose name merely ends like ours is someone else's.
    expect(matchedBy(patterns, apiCall('aws.lambda', 'UpdateFunctionCode20150331v2', { requestParameters: { functionName: `payments-${physical(fn.functionName)}` } }))).toBe(false);
  });

  test('a secret rotated by a hosted rotation (a function the stack cannot name): its value writes are expected, its settings and policy changes reported', () => {
    const s = new Stack(newApp(), 'Hosted', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const secret = new SecureSecret(s, 'Db', { rotation: SecretRotation.hosted(secretsmanager.HostedRotation.mysqlSingleUser()) });
    Monitoring.of(s).notifyEmail('oncall@example.com');
    const t = Template.fromStack(s);
    const patterns = patternsOf(t, SecurityChange.SECRETS);
    expect(patterns).toHaveLength(1);
    const arn = { responseElements: { arn: deploy(t, 'us-east-1')(s.resolve(secret.secretArn)) } };
    expect(matchedBy(patterns, apiCall('aws.secretsmanager', 'PutSecretValue', arn))).toBe(false);
    expect(matchedBy(patterns, apiCall('aws.secretsmanager', 'PutResourcePolicy', arn))).toBe(true);
  });

  test('a rotated secret: its own rotation function writing the value is expected; anyone else is reported', () => {
    const patterns = patternsOf(template, SecurityChange.SECRETS);
    const value = { responseElements: { arn: physical(rotated.secretArn) } };
    const rotation = { ...value, userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${physical(rotator.role!.roleName)}/rotation-session` } };
    expect(matchedBy(patterns, apiCall('aws.secretsmanager', 'PutSecretValue', rotation))).toBe(false);
    expect(matchedBy(patterns, apiCall('aws.secretsmanager', 'PutSecretValue', value))).toBe(true);
  });

  test('each rule notifies the encrypted alarm topic (retries, then an encrypted dead-letter queue), and the topic\'s key lets EventBridge in for this account\'s topics only', () => {
    const rules = Object.entries<any>(template.findResources('AWS::Events::Rule')).filter(([logicalId]) => logicalId.startsWith('AegisMonitoringSecurityChanges'));
    expect(rules.map(([logicalId]) => logicalId.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'AegisMonitoringSecurityChangesBucketPolicies',
      'AegisMonitoringSecurityChangesFunctions',
      'AegisMonitoringSecurityChangesKeys',
      'AegisMonitoringSecurityChangesRoles',
      'AegisMonitoringSecurityChangesSecrets',
      'AegisMonitoringSecurityChangesSecrets2',
      'AegisMonitoringSecurityChangesStages',
      'AegisMonitoringSecurityChangesWebAcls',
    ]);
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic')).find((t) => t.startsWith('AegisMonitoringAlarmTopic'))!;
    const dlqId = Object.keys(template.findResources('AWS::SQS::Queue')).find((q) => q.startsWith('AegisMonitoringSecurityChangesDeadLetterQueue'))!;
    for (const [, rule] of rules) {
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({
        Arn: { Ref: topicId },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 24 * 3600 },
        InputTransformer: expect.objectContaining({ InputTemplate: expect.stringContaining('outside CloudFormation') }),
      })]);
    }
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: {
            StringEquals: { 'aws:SourceAccount': ACCOUNT },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:us-east-1:${ACCOUNT}:rule/*`]] } },
          },
        })]),
      },
    });
    const keyStatements = template.toJSON().Resources[id(stack, StackKey.of(stack))].Properties.KeyPolicy.Statement
      .filter((s: any) => s.Principal?.Service === 'events.amazonaws.com');
    expect(keyStatements.filter((s: any) => s.Condition === undefined)).toEqual([]);
    expect(keyStatements).toContainEqual(expect.objectContaining({ Condition: { ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sns:us-east-1:${ACCOUNT}:*`]] } } } }));
    // The rules' delivery is watched like every rule's, and their dead-letter queue like every dead-letter queue.
    const alarms = JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'));
    for (const [logicalId] of rules) {
      expect(alarms).toContain(`"${logicalId}"`);
    }
    expect(alarms).toContain(`"${dlqId}"`);
  });

  test('IAM\'s events arrive in us-east-1 only: elsewhere there is no roles rule, and an info note says why', () => {
    const elsewhere = watchedStack('eu-west-1');
    expect(patternsOf(elsewhere.template, SecurityChange.ROLES, 'eu-west-1')).toEqual([]);
    expect(patternsOf(elsewhere.template, SecurityChange.FUNCTIONS, 'eu-west-1').length).toBeGreaterThan(0);
    Annotations.fromStack(elsewhere.stack).hasInfo('/Shop/AegisMonitoring', Match.stringLikeRegexp('IAM is global'));
  });

  test('rules stay within EventBridge\'s pattern size: 100 functions take several rules, each pattern within 2,048 characters at the longest names', () => {
    const big = new Stack(newApp(), 'Big', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new SecureQueue(big, 'Jobs');
    for (let i = 0; i < 100; i++) {
      new lambda.Function(big, `Fn${i}`, { code: CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X, timeout: Duration.seconds(3) });
    }
    const t = Template.fromStack(big);
    const rules = Object.entries<any>(t.findResources('AWS::Events::Rule')).filter(([logicalId]) => logicalId.startsWith('AegisMonitoringSecurityChangesFunctions'));
    expect(rules.length).toBeGreaterThan(1);
    const longest = (value: unknown) => deployedValue(value, () => 'x'.repeat(64), { 'AWS::Partition': 'aws-us-gov', 'AWS::Region': 'ap-southeast-3', 'AWS::AccountId': ACCOUNT });
    const named: string[] = [];
    for (const [, rule] of rules) {
      expect(JSON.stringify(longest(rule.Properties.EventPattern)).length).toBeLessThanOrEqual(MAX_PATTERN_CHARACTERS);
      rule.Properties.EventPattern.detail.requestParameters.functionName.filter((v: any) => v.Ref).forEach((v: any) => named.push(v.Ref));
    }
    // Every function of the stack is named exactly once (by name, and by the ARN that ends with it).
    expect(named).toHaveLength(100);
    expect(new Set(named).size).toBe(100);
  });

  test('skipSecurityChanges(kind, { reason }) leaves that kind out and records the reason; the others stay', () => {
    const s = new Stack(newApp(), 'Skip', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new SecureFunction(s, 'Fn', { code: CODE, handler: 'index.handler' });
    Monitoring.of(s).skipSecurityChanges(SecurityChange.FUNCTIONS, { reason: 'the platform team\'s GuardDuty covers Lambda changes' });
    const t = Template.fromStack(s);
    expect(patternsOf(t, SecurityChange.FUNCTIONS)).toEqual([]);
    expect(patternsOf(t, SecurityChange.KEYS).length).toBe(1);
    Annotations.fromStack(s).hasWarning('/Skip/AegisMonitoring', Match.stringLikeRegexp('securityChanges:Functions is off \\(the platform team\'s GuardDuty covers Lambda changes\\)'));
    expect(s.node.findChild('AegisMonitoring').node.metadata.some((m) => m.type === 'cdk-aegis:opt-out' && (m.data as any).control === 'securityChanges:Functions')).toBe(true);
  });

  test.each([
    ['the reason is short', () => [SecurityChange.KEYS, { reason: 'no' }], /`justification` opt-out needs a reason of at least 10 characters, got: "no"/],
    ['the kind is not a SecurityChange (untyped caller)', () => ['Everything', { reason: 'because we say so' }], /`change` must be a member of `SecurityChange` .*got: "Everything"/],
  ])('skipSecurityChanges fails when %s', (_name, args, message) => {
    const s = new Stack(newApp(), 'Bad');
    const [change, justification] = args();
    expect(() => Monitoring.of(s).skipSecurityChanges(change as any, justification as any)).toThrow(message);
  });

  test('skipSecurityChanges fails when called after a synth made the rules (it would change nothing)', () => {
    const s = new Stack(newApp(), 'Late');
    new SecureQueue(s, 'Jobs');
    Template.fromStack(s);
    expect(() => Monitoring.of(s).skipSecurityChanges(SecurityChange.KEYS, { reason: 'covered by the organization trail' }))
      .toThrow(/the security-change rules were already made by a synth of this app; call `skipSecurityChanges` before synthesizing/);
  });

  test('skipSecurityChanges fails when a kind is skipped twice', () => {
    const s = new Stack(newApp(), 'Twice');
    Monitoring.of(s).skipSecurityChanges(SecurityChange.KEYS, { reason: 'covered by the organization trail' });
    expect(() => Monitoring.of(s).skipSecurityChanges(SecurityChange.KEYS, { reason: 'covered by the organization trail' })).toThrow(/the Keys security changes are already skipped/);
  });

  test('every kind is declared once, with its CloudTrail event source matching its EventBridge source', () => {
    expect(CHANGE_KINDS.map((k) => k.change).sort()).toEqual(Object.values(SecurityChange).sort());
    for (const kind of CHANGE_KINDS) {
      expect(kind.eventSource).toBe(`${kind.source.replace('aws.', '')}.amazonaws.com`);
    }
  });
});
