import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../examples/app';
import { asArray, iamStatements } from '../helpers/iam';
import { findingLines, synthesize } from '../helpers/synth';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-example-'));
/** The example app, built and synthesized once for every test that only reads it. */
let shared: App | undefined;
const sharedApp = () => (shared ??= buildApp({ outdir: tmp() }));
const template = (stack = 'OrdersService') => Template.fromStack(sharedApp().node.findChild(stack) as Stack);

describe('examples/app.ts', () => {
  test('synthesizes with zero findings under every pack of its profile', () => {
    const result = synthesize(sharedApp());
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.error).toBeUndefined();
    // The user's two opt-outs and the library's acknowledgements are on the record, each with its cause.
    const byCause = (cause: string) => result.acknowledged
      .filter((a) => a.reason.startsWith(`cdk-aegis (${cause})`))
      .map((a) => `${a.rule} @ ${a.acknowledgedAt.replace(/(Email|Https)[0-9A-F]{8}/, '$1<hash>')}`)
      .sort();
    expect(byCause('opt-out')).toEqual([
      'AwsSolutions-APIG4 @ OrdersService/Api/Resource/Default/health/GET',
      'AwsSolutions-COG4 @ OrdersService/Api/Resource/Default/health/GET',
      'AwsSolutions-SMG4 @ OrdersService/PaymentApiKey',
      'AwsSolutions-APIG4 @ Storefront/Api/Resource/Default/api/products/GET',
      'AwsSolutions-COG4 @ Storefront/Api/Resource/Default/api/products/GET',
      // The secret CloudFront sends to the API is copied into CloudFront and WAF at deploy time: not rotated, recorded.
      'AwsSolutions-SMG4 @ Storefront/Api/OriginVerifySecret',
    ].sort());
    expect(byCause('rule defect')).toEqual([
      'AwsSolutions-COG4 @ OrdersService/Api/Resource/Default/orders/POST',
      'AwsSolutions-COG4 @ OrdersService/Api/Resource/Default/orders/{id}/GET',
      'AwsSolutions-SQS3 @ ImagePipeline/AegisMonitoring/AlarmFallbackTopic/Email<hash>/DeadLetterQueue',
      'AwsSolutions-SQS3 @ ImagePipeline/AegisMonitoring/AlarmTopic/Https<hash>/DeadLetterQueue',
      'AwsSolutions-SQS3 @ ImagePipeline/AegisMonitoring/SecurityChangesDeadLetterQueue',
      'AwsSolutions-SQS3 @ ImagePipeline/Uploads/OnObjectCreatedImagePipelineProcessor8594739558E188CF/DeadLetterQueue',
      'AwsSolutions-SQS3 @ OrdersService/AegisMonitoring/AlarmFallbackTopic/Email<hash>/DeadLetterQueue',
      'AwsSolutions-SQS3 @ OrdersService/AegisMonitoring/AlarmTopic/Email<hash>/DeadLetterQueue',
      'AwsSolutions-SQS3 @ OrdersService/AegisMonitoring/SecurityChangesDeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ ImagePipeline/AegisMonitoring/AlarmFallbackTopic/Email<hash>/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ ImagePipeline/AegisMonitoring/AlarmTopic/Https<hash>/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ ImagePipeline/AegisMonitoring/SecurityChangesDeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ ImagePipeline/Processor/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ ImagePipeline/Uploads/OnObjectCreatedImagePipelineProcessor8594739558E188CF/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ OrdersService/AegisMonitoring/AlarmFallbackTopic/Email<hash>/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ OrdersService/AegisMonitoring/AlarmTopic/Email<hash>/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ OrdersService/AegisMonitoring/SecurityChangesDeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ OrdersService/CreateOrder/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ OrdersService/GetOrder/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ OrdersService/Health/DeadLetterQueue',
      'AwsSolutions-SQS3 @ Storefront/AegisMonitoring/AlarmFallbackTopic/Email<hash>/DeadLetterQueue',
      'AwsSolutions-SQS3 @ Storefront/AegisMonitoring/AlarmTopic/Email<hash>/DeadLetterQueue',
      'AwsSolutions-SQS3 @ Storefront/AegisMonitoring/SecurityChangesDeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ Storefront/AegisMonitoring/AlarmFallbackTopic/Email<hash>/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ Storefront/AegisMonitoring/AlarmTopic/Email<hash>/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ Storefront/AegisMonitoring/SecurityChangesDeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ Storefront/Catalog/DeadLetterQueue',
    ].sort());
    expect(byCause('AWS-forced')).toEqual([
      'AwsSolutions-IAM5[Resource::*] @ ImagePipeline/AegisXRayWriteAccess',
      'AwsSolutions-IAM5[Resource::*] @ OrdersService/AegisXRayWriteAccess',
      'AwsSolutions-IAM5[Resource::<Uploads4F6EB0FD.Arn>/incoming/*.jpg] @ ImagePipeline/Processor/ServiceRole',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*] @ OrdersService/AegisApiGatewayAccount/CloudWatchPolicy',
      // CloudTrail names the streams of its CloudWatch Logs copy itself, one per source region.
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:<AuditTrailLogGroup28BB9333>:log-stream:<AWS::AccountId>_CloudTrail_*] @ OrdersService/AuditTrail/LogsRole',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:API-Gateway-Access-Logs_*] @ OrdersService/AegisApiGatewayAccount/CloudWatchPolicy',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:API-Gateway-Execution-Logs_*] @ OrdersService/AegisApiGatewayAccount/CloudWatchPolicy',
      'AwsSolutions-CFR4 @ Storefront/Cdn/Resource',
      'AwsSolutions-IAM5[Resource::*] @ Storefront/AegisXRayWriteAccess',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*] @ Storefront/AegisApiGatewayAccount/CloudWatchPolicy',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:API-Gateway-Access-Logs_*] @ Storefront/AegisApiGatewayAccount/CloudWatchPolicy',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:API-Gateway-Execution-Logs_*] @ Storefront/AegisApiGatewayAccount/CloudWatchPolicy',
    ].sort());
    // 21 before the fallback channel; each fallback subscription's dead-letter queue adds the two of every subscription's;
    // the audit trail's log delivery role adds one (CloudTrail names its log streams); each stack's security-change
    // dead-letter queue adds two. The storefront adds 15: its route's and origin secret's three opt-outs, seven rule defects
    // (as every stack's monitoring and function) and five AWS-forced (viewer TLS on the default certificate, X-Ray, the API's account role).
    expect(result.acknowledged).toHaveLength(45);
  });

  test('gives the order function the secret ARN, not its value', () => {
    const t = template();
    const secretId = Object.keys(t.findResources('AWS::SecretsManager::Secret'))[0];
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.create',
      Environment: { Variables: { PAYMENT_API_KEY_SECRET_ARN: { Ref: secretId }, PAYMENT_API_URL: 'https://api.payments.example.com/v1', TABLE_NAME: { Ref: Object.keys(t.findResources('AWS::DynamoDB::Table'))[0] } } },
    });
  });

  test('the order writer may only write, the reader only read, with no wildcard action', () => {
    const t = template();
    const dynamo = iamStatements(t).filter(({ statement }) => asArray(statement.Action).some((a) => String(a).startsWith('dynamodb:')));
    expect(dynamo.map(({ owner, statement }) => [owner.replace(/[0-9A-F]{8}$/, ''), asArray(statement.Action).some((a) => String(a) === 'dynamodb:PutItem')])).toEqual([
      ['CreateOrderServiceRole', true],
      ['GetOrderServiceRole', false],
    ]);
    expect(iamStatements(t).flatMap(({ statement }) => asArray(statement.Action)).filter((a) => String(a).includes('*'))).toEqual([]);
  });

  test('the image pipeline reacts to incoming/*.jpg uploads through EventBridge and reads only those objects', () => {
    const t = template('ImagePipeline');
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ detail: Match.objectLike({ object: { key: [{ wildcard: 'incoming/*.jpg' }] } }) }) });
    const reads = iamStatements(t).filter(({ statement }) => asArray(statement.Action).includes('s3:GetObject'));
    expect(reads.map(({ statement }) => statement.Resource['Fn::Join'][1][1])).toEqual(['/incoming/*.jpg']);
  });

  test('routes the orders API: validated create, read by id, and an open health probe', () => {
    const t = template();
    t.resourcePropertiesCountIs('AWS::ApiGateway::Method', { AuthorizationType: 'AWS_IAM' }, 2);
    t.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'GET', AuthorizationType: 'NONE' }, 1);
    t.resourceCountIs('AWS::ApiGateway::Model', 1);
    t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  test.each(['OrdersService', 'ImagePipeline', 'Storefront'])('%s: every alarm notifies an encrypted topic other than the one it watches, and failing functions are watched', (stackName) => {
    const t = template(stackName);
    const topics = t.findResources('AWS::SNS::Topic');
    const topicId = Object.keys(topics).find((id) => id.startsWith('AegisMonitoringAlarmTopic'))!;
    const fallbackId = Object.keys(topics).find((id) => id.startsWith('AegisMonitoringAlarmFallbackTopic'))!;
    expect([topicId, fallbackId].map((id) => topics[id].Properties.KmsMasterKeyId)).toEqual([expect.anything(), expect.anything()]);
    const alarms = Object.entries(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(2);
    for (const [id, alarm] of alarms) {
      // The alarm on the alarm topic's own undelivered messages goes to the fallback channel; all others to the alarm topic.
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: id.startsWith('AegisMonitoringAlarmChannel') ? fallbackId : topicId }]);
    }
    expect(alarms.filter(([id]) => id.startsWith('AegisMonitoringAlarmChannel'))).toHaveLength(1);
    const functions = Object.keys(t.findResources('AWS::Lambda::Function'));
    const watched = JSON.stringify(alarms.filter(([, a]) => /errors/.test(a.Properties.AlarmDescription)).map(([, a]) => a.Properties.Metrics));
    expect(functions.filter((id) => !watched.includes(`{"Ref":"${id}"}`))).toEqual([]);
  });

  test.each(['OrdersService', 'ImagePipeline', 'Storefront'])('%s: every queue an event can be dropped into, and every EventBridge rule, is watched by an alarm', (stackName) => {
    const resources = template(stackName).toJSON().Resources;
    const alarms = Object.values<any>(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const watchedRefs = JSON.stringify(alarms.map((a) => [a.Properties.Metrics, a.Properties.Dimensions]));
    const isWatched = (logicalId: string) => watchedRefs.includes(`"${logicalId}"`);
    // Functions invoked only synchronously (API Gateway) never use their dead-letter queue: the caller gets the error.
    const asyncTargets = new Set(Object.values<any>(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Permission' && r.Properties.Principal !== 'apigateway.amazonaws.com')
      .map((r) => JSON.stringify(r.Properties.FunctionName)));
    const reachableQueues = Object.entries<any>(resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue').map(([id]) => id).filter((id) => {
      const owner = Object.entries<any>(resources).find(([, r]) => r.Type === 'AWS::Lambda::Function'
        && JSON.stringify(r.Properties.DeadLetterConfig?.TargetArn ?? '').includes(`"${id}"`));
      return owner === undefined || asyncTargets.has(JSON.stringify({ 'Fn::GetAtt': [owner[0], 'Arn'] })) || asyncTargets.has(JSON.stringify({ Ref: owner[0] }));
    });
    expect(reachableQueues.length).toBeGreaterThan(0);
    expect(reachableQueues.filter((id) => !isWatched(id))).toEqual([]);
    const rules = Object.entries<any>(resources).filter(([, r]) => r.Type === 'AWS::Events::Rule').map(([id]) => id);
    expect(rules.filter((id) => !isWatched(id))).toEqual([]);
    // No alarm notifies a channel whose failure it reports: the topics an alarm notifies have no subscription whose
    // dead-letter queue that alarm watches.
    const deadLettersOf = (topicRef: unknown) => Object.values<any>(resources)
      .filter((r) => r.Type === 'AWS::SNS::Subscription' && JSON.stringify(r.Properties.TopicArn) === JSON.stringify(topicRef))
      .map((r) => r.Properties.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0])
      .filter((id): id is string => id !== undefined);
    const pairs = alarms.flatMap((a) => (a.Properties.AlarmActions ?? []).flatMap(deadLettersOf).map((queue: string) => ({ alarm: a, queue })));
    // Not vacuous: alarms notify topics that have subscribers with dead-letter queues.
    expect(pairs.length).toBeGreaterThan(0);
    const selfReporting = pairs
      .filter(({ alarm, queue }) => JSON.stringify([alarm.Properties.Metrics, alarm.Properties.Dimensions]).includes(`"${queue}"`))
      .map(({ alarm, queue }) => `${alarm.Properties.AlarmDescription} -> ${queue}`);
    expect(selfReporting).toEqual([]);
  });

  test('two synths produce byte-identical templates', () => {
    const first = sharedApp().synth();
    const second = buildApp({ outdir: tmp() }).synth();
    for (const stack of ['OrdersService', 'ImagePipeline', 'Storefront']) {
      const read = (dir: string) => fs.readFileSync(path.join(dir, `${stack}.template.json`));
      expect(read(first.directory).equals(read(second.directory))).toBe(true);
    }
  });
});
