import { AssemblyStack } from '../../src/core/private/cloud-assembly';
import { buildThreatModel, ThreatModelData } from '../../src/threat-model/private/model';
import { mermaidFlowchart, toMarkdown, toThreatComposer } from '../../src/threat-model/private/render';

/**
 * The catalogue on hand-written templates: each threat's mitigations read the
 * property that proves them, whoever wrote the template. No synth: fast, and
 * every branch of the evidence is reached on purpose.
 */

const ENV = 'aws://123456789012/eu-west-1';
const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const ref = (id: string) => ({ Ref: id });

function model(resources: Record<string, any>, extra: Partial<AssemblyStack> = {}, more: AssemblyStack[] = []): ThreatModelData {
  const stack: AssemblyStack = {
    path: 'S',
    stackName: 'S',
    templateFile: 'S.template.json',
    template: { Resources: Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, { Properties: {}, ...r }])) },
    metadata: {},
    environment: ENV,
    ...extra,
  };
  return buildThreatModel([stack, ...more], '/nonexistent');
}

/** `resolved|open: evidence` of a threat's mitigations on the element or flow named `where`. */
function evidence(m: ThreatModelData, key: string, where: string): string {
  const threat = m.threats.find((t) => t.spec.key === key && t.targetName.startsWith(where));
  if (!threat) {
    throw new Error(`no ${key} threat on ${where}; threats: ${m.threats.map((t) => `${t.spec.key} @ ${t.targetName}`).join(', ')}`);
  }
  return threat.mitigations.map((x) => `${x.evidence.resolved ? 'resolved' : 'open'}: ${x.evidence.text}`).join(' | ');
}

const flows = (m: ThreatModelData) => [...m.graph.flows.values()].map((f) => `${f.from.label} → ${f.to.label}: ${[...f.labels].join('; ')}`).sort();

const FUNCTION = (extra: Record<string, any> = {}) => ({ Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x', Code: { ZipFile: 'x' }, ...extra } });

describe('threat catalogue on plain CloudFormation', () => {
  test('HTTP APIs: routes, throttling and access logs are read from the v2 resources; no web ACL can be attached', () => {
    const m = model({
      Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
      Fn: FUNCTION(),
      Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: ref('Http'), IntegrationUri: arn('Fn') } },
      Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: ref('Http'), RouteKey: 'GET /items', Target: { 'Fn::Join': ['', ['integrations/', ref('Integration')]] } } },
      Open: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: ref('Http'), RouteKey: 'POST /items', AuthorizationType: 'NONE' } },
      Stage: {
        Type: 'AWS::ApiGatewayV2::Stage',
        Properties: { ApiId: ref('Http'), StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }, AccessLogSettings: { DestinationArn: arn('Logs') } },
      },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
      Authorizer: { Type: 'AWS::ApiGatewayV2::Authorizer', Properties: { ApiId: ref('Http') } },
    });
    expect(flows(m)).toEqual(expect.arrayContaining(['Internet clients → Http: HTTPS', 'Http → Fn: GET /items']));
    expect(evidence(m, 'unauthenticated-api', 'Http')).toBe('open: 2 of 2 methods take requests without authorization: GET /items, POST /items; set `AuthorizationType` (AWS_IAM, COGNITO_USER_POOLS or CUSTOM)');
    expect(evidence(m, 'web-exploits', 'Http')).toBe('open: HTTP APIs cannot take a web ACL: put a CloudFront distribution with a web ACL in front of it');
    expect(evidence(m, 'request-flood', 'Http')).toBe('resolved: stage $default: 50 requests/s, burst 100 | open: HTTP APIs cannot take a web ACL: put a CloudFront distribution with a rate-based web ACL rule in front of it');
    expect(evidence(m, 'untraceable-api-calls', 'Http')).toBe('resolved: stage $default → Logs (log group)');
    expect(m.graph.guards.get('S::Http')!.map((g) => g.label)).toEqual(['Authorizer']);
  });

  test('REST APIs: private endpoints are not on the internet; usage plans throttle; data trace and missing stages are reported', () => {
    const m = model({
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { EndpointConfiguration: { Types: ['PRIVATE'] } } },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: ref('Api'), StageName: 'v1', MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', DataTraceEnabled: true }] } },
      Plan: { Type: 'AWS::ApiGateway::UsagePlan', Properties: { ApiStages: [{ ApiId: ref('Api'), Stage: ref('Stage') }], Throttle: { RateLimit: 10 } } },
      Put: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: ref('Api'), HttpMethod: 'PUT', AuthorizationType: 'AWS_IAM', Integration: { Type: 'MOCK' } } },
      Post: {
        Type: 'AWS::ApiGateway::Method',
        Properties: { RestApiId: ref('Api'), HttpMethod: 'POST', AuthorizationType: 'AWS_IAM', ApiKeyRequired: true, Integration: { Type: 'AWS_PROXY', Uri: 'arn:aws:apigateway:x' } },
      },
      Orphan: { Type: 'AWS::ApiGateway::RestApi' },
    });
    expect(flows(m).filter((f) => f.startsWith('Internet'))).toEqual(['Internet clients → Orphan: HTTPS']);
    // A usage plan throttles only requests with an API key: without `ApiKeyRequired` on every method it proves nothing.
    const keyless = model({
      Api: { Type: 'AWS::ApiGateway::RestApi' },
      Get: { Type: 'AWS::ApiGateway::Method', Properties: { RestApiId: ref('Api'), HttpMethod: 'GET', AuthorizationType: 'AWS_IAM', Integration: { Type: 'AWS_PROXY', Uri: 'x' } } },
      Plan: { Type: 'AWS::ApiGateway::UsagePlan', Properties: { ApiStages: [{ ApiId: ref('Api') }], Throttle: { RateLimit: 10 } } },
    });
    expect(evidence(keyless, 'request-flood', 'Api')).toMatch(/^open: set `ThrottlingRateLimit`/);
    expect(evidence(m, 'request-flood', 'Api')).toBe('resolved: usage plan Plan: 10 requests/s | open: associate a web ACL with a rate-based rule (per IP, action Block) with the stage');
    expect(evidence(m, 'payloads-in-logs', 'Api')).toBe('open: turn off `DataTraceEnabled` on Stage: it logs full request and response bodies');
    expect(evidence(m, 'malformed-requests', 'Api')).toBe('open: validate the body of Post: a request validator and a JSON schema model');
    expect(evidence(m, 'unauthenticated-api', 'Orphan')).toBe('resolved: the API has no methods yet');
    expect(evidence(m, 'untraceable-api-calls', 'Orphan')).toBe('open: the API has no stage in this app: deploy it with a stage that writes access logs');
    expect(evidence(m, 'untraceable-api-calls', 'Api')).toBe('open: set `AccessLogSetting` on Stage');
    expect(evidence(m, 'malformed-requests', 'Orphan')).toBe('resolved: no method takes a request body');
  });

  test('function URLs: the internet reaches the URL, the URL the function; IAM auth resolves the threat', () => {
    const m = model({
      Fn: FUNCTION(),
      Url: { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: arn('Fn'), AuthType: 'NONE' } },
      Public: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: ref('Fn'), Principal: '*', Action: 'lambda:InvokeFunctionUrl' } },
      Partner: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: ref('Fn'), Principal: '210987654321', Action: 'lambda:InvokeFunction' } },
      Signed: { Type: 'AWS::Lambda::Url', Properties: { TargetFunctionArn: arn('Fn'), AuthType: 'AWS_IAM' } },
    });
    expect(flows(m)).toEqual(expect.arrayContaining([
      'Internet clients → Url: HTTPS', 'Url → Fn: invoke (auth NONE)', 'Internet clients → Fn: lambda:InvokeFunctionUrl', 'Other AWS accounts → Fn: lambda:InvokeFunction',
    ]));
    expect(evidence(m, 'unauthenticated-function-url', 'Url')).toBe('open: `AuthType` is NONE: set AWS_IAM, or put the URL behind CloudFront with origin access control');
    expect(evidence(m, 'unauthenticated-function-url', 'Signed')).toBe('resolved: `AuthType: AWS_IAM`');
  });

  test('events: schedules, custom buses, inline subscriptions, bucket notifications and failure paths', () => {
    const m = model({
      Fn: FUNCTION(),
      Worker: FUNCTION({ DeadLetterConfig: { TargetArn: arn('Dlq') } }),
      Dlq: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'alias/aws/sqs' } },
      OnFailure: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { FunctionName: ref('Fn'), Qualifier: '$LATEST', DestinationConfig: { OnFailure: { Destination: arn('Dlq') } } } },
      Nightly: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 day)', Targets: [{ Id: 'a', Arn: arn('Fn') }] } },
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'orders' } },
      OnOrder: { Type: 'AWS::Events::Rule', Properties: { EventBusName: ref('Bus'), EventPattern: { source: ['shop'] }, Targets: [{ Id: 'b', Arn: arn('Worker') }] } },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { Subscription: [{ Protocol: 'lambda', Endpoint: arn('Worker') }, { Protocol: 'email', Endpoint: 'a@example.com' }] } },
      Bucket: {
        Type: 'AWS::S3::Bucket',
        Properties: { NotificationConfiguration: { QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: arn('Dlq'), Filter: { S3Key: { Rules: [{ Name: 'suffix', Value: '.csv' }] } } }] } },
      },
      Stream: { Type: 'AWS::Kinesis::Stream', Properties: { StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' } } },
      Mapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: ref('Fn'), EventSourceArn: arn('Stream'), DestinationConfig: { OnFailure: { Destination: arn('Dlq') } } } },
    });
    expect(flows(m)).toEqual(expect.arrayContaining([
      'EventBridge schedules → Nightly: rate(1 day)', 'Nightly → Fn: event', 'Bus → OnOrder: shop', 'OnOrder → Worker: event',
      'Topic → Worker: lambda', 'Topic → Email and HTTPS subscribers: email', 'Bucket → Dlq: S3 s3:ObjectCreated:*', 'Stream → Fn: poll stream',
    ]));
    expect(evidence(m, 'lost-events', 'Nightly → Fn')).toBe('open: EventBridge rule: add a dead-letter queue (rule target `DeadLetterConfig`, subscription `RedrivePolicy`, the queue\'s `RedrivePolicy`, or the function\'s `DeadLetterConfig`)');
    // SNS hands the event to Lambda (the function's dead-letter queue catches failed runs), but the hand-off itself needs the subscription's.
    expect(m.threats.find((t) => t.spec.key === 'lost-events' && t.targetName === 'Topic → Worker')!.mitigations[0].evidence).toEqual({
      resolved: false,
      text: 'SNS subscription: add a dead-letter queue (rule target `DeadLetterConfig`, subscription `RedrivePolicy`, the queue\'s `RedrivePolicy`, or the function\'s `DeadLetterConfig`)',
    });
    expect(evidence(m, 'lost-events', 'OnOrder → Worker')).toMatch(/^open: EventBridge rule: add a dead-letter queue/);
    expect(evidence(m, 'lost-events', 'Stream → Fn')).toBe('resolved: DestinationConfig.OnFailure → Dlq (queue)');
    expect(m.threats.find((t) => t.spec.key === 'lost-events' && t.targetName === 'Bucket → Dlq')).toBeUndefined();
    expect(evidence(m, 'unencrypted-data', 'Stream')).toMatch(/^open: `StreamEncryption.KeyId` is the AWS managed key alias\/aws\/kinesis/);
    expect(evidence(m, 'unencrypted-data', 'Dlq')).toMatch(/^open: `KmsMasterKeyId` is the AWS managed key alias\/aws\/sqs/);
    expect(evidence(m, 'concurrency-exhaustion', 'Fn')).toBe('open: set `ReservedConcurrentExecutions`: Nightly, Stream can scale it until the account\'s concurrency is gone');
  });

  test('resource policies: anonymous and unscoped service principals are forged-message threats; scoped ones and none are not', () => {
    const m = model({
      Open: { Type: 'AWS::SQS::Queue' },
      OpenPolicy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [ref('Open')],
          PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage' }, { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage' }] },
        },
      },
      Scoped: { Type: 'AWS::SNS::Topic' },
      ScopedPolicy: {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: {
          Topics: [ref('Scoped')],
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Condition: { ArnEquals: { 'aws:SourceArn': arn('Rule') } } },
              { Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
            ],
          },
        },
      },
      Rule: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['x'] }, Targets: [{ Id: 'a', Arn: ref('Scoped') }] } },
      Quiet: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: arn('Key') } },
      Key: { Type: 'AWS::KMS::Key' },
    });
    expect(evidence(m, 'forged-messages', 'Open')).toBe('open: the policy admits anyone (Principal *); sns.amazonaws.com from any source: add `aws:SourceArn` and `aws:SourceAccount` conditions');
    expect(evidence(m, 'forged-messages', 'Scoped')).toBe('resolved: 1 Allow statement(s), each scoped by `aws:SourceArn`/`aws:SourceAccount` or to named principals');
    expect(evidence(m, 'forged-messages', 'Quiet')).toBe('resolved: no resource policy admits anyone: only IAM principals of this account with a grant');
    expect(evidence(m, 'tampered-messages', 'Scoped')).toBe('resolved: policy statement denies `aws:SecureTransport: false` | open: messages are not encrypted at rest: set a customer managed `KmsMasterKeyId`');
    expect(evidence(m, 'unencrypted-data', 'Quiet')).toBe('resolved: `KmsMasterKeyId` → Key (KMS key)');
    expect(flows(m)).toEqual(expect.arrayContaining(['Rule → Scoped: event; sns:Publish', 'sns → Open: sqs:SendMessage', 'Internet clients → Open: sqs:SendMessage'.replace('Internet clients', 'sns')]));
  });

  test('buckets that take uploads (CORS PUT/POST, or a policy letting anyone put) are entry points; public and cross-account policies are flows from outside', () => {
    const m = model({
      Browser: { Type: 'AWS::S3::Bucket', Properties: { CorsConfiguration: { CorsRules: [{ AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://app.example.com'] }] } } },
      Dropbox: { Type: 'AWS::S3::Bucket' },
      DropboxPolicy: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: ref('Dropbox'), PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: ['s3:PutObject'], Resource: '*' }] } } },
      Site: { Type: 'AWS::S3::Bucket' },
      SitePolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: ref('Site'),
          PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: '*' }, { Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }] },
        },
      },
      Shared: { Type: 'AWS::SQS::Queue' },
      SharedPolicy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: { Queues: [ref('Shared')], PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::210987654321:root', '123456789012'] }, Action: 'sqs:SendMessage' }] } },
      },
    });
    const kinds = Object.fromEntries([...m.graph.elements.values()].filter((e) => e.resource).map((e) => [e.label, e.kind]));
    expect(kinds).toMatchObject({ Browser: 'entry point', Dropbox: 'entry point', Site: 'data store', Shared: 'data store' });
    expect(flows(m)).toEqual([
      'Internet clients → Browser: HTTPS uploads',
      'Internet clients → Dropbox: HTTPS uploads; s3:PutObject',
      'Other AWS accounts → Shared: sqs:SendMessage',
      // Public reads flow out of the bucket, to anyone.
      'Site → Internet clients: s3:GetObject',
    ]);
    // Entry-point buckets are still stores to encrypt.
    expect(evidence(m, 'unencrypted-data', 'Browser')).toBe('open: SSE-S3 (the default): set SSE-KMS with a customer managed key');
  });

  test('stores: keys, versioning, public access, retention, rotation and deletion protection are read per type', () => {
    const m = model({
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { SSESpecification: { SSEEnabled: true } } },
      Global: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/aws/dynamodb' } } },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arn('Key') } }] }, VersioningConfiguration: { Status: 'Enabled' } } },
      Plain: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] }, PublicAccessBlockConfiguration: { BlockPublicAcls: true } } },
      Key: { Type: 'AWS::KMS::Key' },
      Secret: { Type: 'AWS::SecretsManager::Secret' },
      Rotated: { Type: 'AWS::SecretsManager::Secret', Properties: { KmsKeyId: arn('Key') } },
      Schedule: { Type: 'AWS::SecretsManager::RotationSchedule', Properties: { SecretId: ref('Rotated'), RotationRules: { AutomaticallyAfterDays: 30 } } },
      Logs: { Type: 'AWS::Logs::LogGroup' },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'alias/aws/sns' } },
    });
    expect(evidence(m, 'unencrypted-data', 'Table')).toBe('open: encrypted with the AWS managed key aws/dynamodb: set a customer managed `KMSMasterKeyId`');
    expect(evidence(m, 'unencrypted-data', 'Global')).toBe('open: encrypted with the AWS managed key aws/dynamodb: set each replica\'s `KMSMasterKeyId`');
    // A global table (TableV2) keeps its key, recovery and deletion protection per replica.
    const replica = { Region: 'eu-west-1', SSESpecification: { KMSMasterKeyId: arn('Key') }, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true };
    const v2 = model({ Key: { Type: 'AWS::KMS::Key' }, V2: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { SSESpecification: { SSEEnabled: true, SSEType: 'KMS' }, Replicas: [replica] } } });
    expect(evidence(v2, 'unencrypted-data', 'V2')).toBe('resolved: every replica\'s `SSESpecification.KMSMasterKeyId` → Key (KMS key)');
    expect(evidence(v2, 'tampered-records', 'V2')).toBe('resolved: `PointInTimeRecoveryEnabled: true` | resolved: `DeletionProtectionEnabled: true`');
    expect(evidence(m, 'tampered-records', 'Table')).toBe('open: enable point-in-time recovery | open: set `DeletionProtectionEnabled: true`');
    expect(evidence(m, 'unencrypted-data', 'Bucket (')).toBe('resolved: SSE-KMS, `KMSMasterKeyID` → Key (KMS key)');
    expect(evidence(m, 'unencrypted-data', 'Plain')).toBe('open: AES256: set SSE-KMS with a customer managed key');
    expect(evidence(m, 'tampered-objects', 'Bucket (')).toBe('resolved: `VersioningConfiguration: Enabled` | open: add a resource policy statement that denies requests with `aws:SecureTransport: false`');
    expect(evidence(m, 'public-bucket', 'Plain')).toBe('open: turn on BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets');
    expect(evidence(m, 'untraceable-object-access', 'Plain')).toBe('open: set `LoggingConfiguration` to an access-log bucket');
    expect(evidence(m, 'unencrypted-data', 'Secret')).toMatch(/^open: the AWS managed key aws\/secretsmanager/);
    expect(evidence(m, 'stale-secret', 'Secret')).toBe('open: add a rotation schedule: a leaked value stays valid until someone replaces it by hand');
    expect(evidence(m, 'stale-secret', 'Rotated')).toBe('resolved: rotation schedule Schedule: every 30 days');
    expect(evidence(m, 'lost-logs', 'Logs')).toBe('open: set `RetentionInDays`: without it logs are kept forever and no one decides how long evidence lives');
    expect(evidence(m, 'unencrypted-data', 'Logs')).toBe('open: CloudWatch Logs default encryption only: set a customer managed `KmsKeyId`');
    expect(evidence(m, 'unencrypted-data', 'Topic')).toMatch(/^open: `KmsMasterKeyId` is the AWS managed key alias\/aws\/sns/);
  });

  test('roles: wildcards, AWS-forced `*`, shared roles; functions: runtime, signing, layers, logging, environment', () => {
    const m = model({
      Shared: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':iam::aws:policy/ReadOnlyAccess']] }] } },
      Own: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'xray', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' }] } }] } },
      Loose: { Type: 'AWS::IAM::Policy', Properties: { Roles: [ref('Shared')], PolicyDocument: { Statement: { Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/*' } } } },
      A: FUNCTION({ Role: arn('Shared'), Runtime: 'python3.9', Layers: ['arn:aws:lambda:eu-west-1:999999999999:layer:tools:3'], LoggingConfig: { ApplicationLogLevel: 'DEBUG' } }),
      B: FUNCTION({ Role: arn('Shared'), PackageType: 'Image', Code: { ImageUri: 'x' }, Environment: { Variables: { STRIPE_KEY: 'sk_live_abcdefghijklmnopqrstuvwx' } } }),
      C: FUNCTION({
        Role: arn('Own'),
        Runtime: 'cobol85',
        CodeSigningConfigArn: 'arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-1',
        Layers: ['arn:aws:lambda:eu-west-1:123456789012:layer:own:1'],
        LoggingConfig: { LogGroup: ref('Group') },
        Environment: { Variables: { MODE: 'fast' } },
        KmsKeyArn: arn('Key'),
      }),
      Group: { Type: 'AWS::Logs::LogGroup' },
      Key: { Type: 'AWS::KMS::Key' },
      Orders: { Type: 'AWS::DynamoDB::Table' },
      Audit: { Type: 'AWS::DynamoDB::GlobalTable' },
      Bucket: { Type: 'AWS::S3::Bucket' },
    });
    expect(evidence(m, 'over-privileged-role', 'A')).toBe('open: narrow AWS managed policy ReadOnlyAccess; dynamodb:* on arn:aws:dynamodb:eu-west-1:123456789012:table/* ' +
      '(reaches Audit, Orders of this app, with no grant of their own); wildcard action(s) dynamodb:*');
    expect(evidence(m, 'over-privileged-role', 'C')).toBe('resolved: 1 statement(s), no wildcard action; `*` only for xray:PutTraceSegments (AWS allows nothing narrower)');
    expect(evidence(m, 'shared-role', 'A')).toBe('open: its role also serves B: give each function its own role');
    expect(evidence(m, 'shared-role', 'C')).toBe('resolved: its role serves it alone');
    expect(evidence(m, 'outdated-runtime', 'A')).toMatch(/^open: `Runtime: python3\.9`: move to python3\.\d+/);
    expect(evidence(m, 'outdated-runtime', 'B')).toMatch(/^open: a container image/);
    expect(evidence(m, 'outdated-runtime', 'C')).toBe('open: runtime cobol85 is unknown to this aws-cdk-lib: check its deprecation date');
    expect(evidence(m, 'foreign-layers', 'A')).toBe('open: layers from other (or unknown) accounts run in this function: arn:aws:lambda:eu-west-1:999999999999:layer:tools:3; vendor them or publish them in your account');
    expect(evidence(m, 'foreign-layers', 'C')).toBe('resolved: 1 layer(s), all from this account or this app');
    expect(evidence(m, 'unsigned-code', 'C')).toBe('resolved: `CodeSigningConfigArn` → arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-1');
    expect(evidence(m, 'payloads-in-logs', 'A')).toBe('open: `ApplicationLogLevel` is DEBUG: use INFO or above in production');
    expect(evidence(m, 'untraceable-function', 'C')).toBe('open: `LoggingConfig.LogGroup` → Group, which has no `RetentionInDays`');
    expect(evidence(m, 'secrets-in-environment', 'B')).toBe('open: move STRIPE_KEY (its value looks like a Stripe key) to Secrets Manager and pass the secret\'s ARN | open: set `KmsKeyArn`: the environment is encrypted with the AWS managed Lambda key');
    expect(evidence(m, 'secrets-in-environment', 'C')).toBe('resolved: 1 environment variable(s), none holds a literal secret | resolved: `KmsKeyArn` → Key (KMS key)');
    expect(evidence(m, 'unknown-bundle', 'B')).toBe('open: contents unknown: no `sbom/S.B.cdx.json`; bundle the function from its entry (SBOM written at synth), or write a CycloneDX SBOM there');
  });

  test('accounts: a multi-region trail with validation in the same environment (or an env-agnostic stack) resolves the repudiation threat', () => {
    const trail = { Type: 'AWS::CloudTrail::Trail', Properties: { IsMultiRegionTrail: true, EnableLogFileValidation: true, IsLogging: true } };
    const withTrail = model({ Trail: trail });
    expect(evidence(withTrail, 'untraceable-account-changes', 'AWS account 123456789012/eu-west-1')).toBe('resolved: trail Trail in S: multi-region, log file validation on');
    const singleRegion = model({ Trail: { ...trail, Properties: { ...trail.Properties, IsMultiRegionTrail: false } } });
    expect(evidence(singleRegion, 'untraceable-account-changes', 'AWS account')).toMatch(/^open: no multi-region trail/);
    const elsewhere = model({}, {}, [{ path: 'T', stackName: 'T', templateFile: 'T.json', template: { Resources: { Trail: trail } }, metadata: {}, environment: 'aws://210987654321/eu-west-1' }]);
    expect(evidence(elsewhere, 'untraceable-account-changes', 'AWS account 123456789012')).toMatch(/^open:/);
    expect(evidence(elsewhere, 'untraceable-account-changes', 'AWS account 210987654321')).toMatch(/^resolved:/);
  });

  test('nothing reads as resolved when the control is missing: customer managed policies, imported roles, built wildcards, NotResource', () => {
    const m = model({
      Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } } },
      Role: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: [ref('Managed')] } },
      Admin: FUNCTION({ Role: arn('Role') }),
      Imported: FUNCTION({ Role: 'arn:aws:iam::123456789012:role/legacy' }),
      BuiltRole: { Type: 'AWS::IAM::Role' },
      Built: FUNCTION({ Role: arn('BuiltRole') }),
      BuiltPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [ref('BuiltRole')],
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':dynamodb:eu-west-1:123456789012:table/*']] } },
              { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' },
            ],
          },
        },
      },
      // A role ARN in an environment variable does not make the function a user of that role.
      Reader: FUNCTION({ Role: arn('ReaderRole'), Environment: { Variables: { TARGET: arn('BuiltRole') } } }),
      ReaderRole: { Type: 'AWS::IAM::Role' },
    });
    // The customer managed policy the role attaches by reference is read: `*` on `*` reaches every function of the app.
    expect(evidence(m, 'over-privileged-role', 'Admin')).toBe('open: narrow * on * (reaches Built, Imported, Reader of this app, with no grant of their own); wildcard action(s) *');
    expect(evidence(m, 'over-privileged-role', 'Imported')).toBe('open: its role (arn:aws:iam::123456789012:role/legacy) is not defined in this app: its permissions, and who else uses it, cannot be checked here');
    expect(evidence(m, 'shared-role', 'Imported')).toMatch(/^open: its role \(arn:aws:iam::123456789012:role\/legacy\) is not defined in this app/);
    expect(evidence(m, 'over-privileged-role', 'Built')).toBe('open: narrow dynamodb:GetItem on arn:${AWS::Partition}:dynamodb:eu-west-1:123456789012:table/*; NotResource arn:aws:s3:::secret/* (allows everything else)');
    expect(evidence(m, 'shared-role', 'Reader')).toBe('resolved: its role serves it alone');
    expect(evidence(m, 'shared-role', 'Built')).toBe('resolved: its role serves it alone');
  });

  test('APIs defined by an OpenAPI body, count-mode rule groups and scoping-free conditions are not taken as controls', () => {
    const m = model({
      Spec: { Type: 'AWS::ApiGateway::RestApi', Properties: { Body: { openapi: '3.0.1' } } },
      Quick: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP', Target: arn('Fn') } },
      Fn: FUNCTION(),
      Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{ Name: 'Common', OverrideAction: { Count: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } }] } },
      Association: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { WebACLArn: arn('Acl'), ResourceArn: ref('Spec') } },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':kms:eu-west-1:123456789012:alias/aws/sqs']] } } },
      QueueInline: {
        Type: 'AWS::SQS::QueueInlinePolicy',
        Properties: {
          Queue: ref('Queue'),
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'sqs:SendMessage', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
              { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::123456789012:role/x' }, Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
            ],
          },
        },
      },
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'b' } },
      Legacy: { Type: 'AWS::Events::EventBusPolicy', Properties: { EventBusName: ref('Bus'), StatementId: 's', Action: 'events:PutEvents', Principal: '*' } },
    });
    expect(evidence(m, 'unauthenticated-api', 'Spec')).toMatch(/^open: methods are defined in the API's OpenAPI body/);
    expect(evidence(m, 'malformed-requests', 'Spec')).toMatch(/^open: methods are defined in the API's OpenAPI body/);
    expect(evidence(m, 'unauthenticated-api', 'Quick')).toMatch(/^open: methods are defined in the API's OpenAPI body \(or quick-create target\)/);
    expect(evidence(m, 'web-exploits', 'Spec')).toMatch(/^open: associate a web ACL with managed rule groups/);
    expect(evidence(m, 'forged-messages', 'Queue')).toBe('open: the policy admits anyone (Principal *): add `aws:SourceArn` and `aws:SourceAccount` conditions');
    expect(evidence(m, 'tampered-messages', 'Queue')).toMatch(/^open: add a resource policy statement that denies .* \| open: `KmsMasterKeyId` is the AWS managed key arn:\$\{AWS::Partition\}:kms:eu-west-1:123456789012:alias\/aws\/sqs/);
    expect(evidence(m, 'forged-messages', 'Bus')).toBe('open: the policy admits anyone (Principal *): add `aws:SourceArn` and `aws:SourceAccount` conditions');
    expect(flows(m)).toEqual(expect.arrayContaining(['Internet clients → Bus: events:PutEvents']));
  });

  test('layers, object reads and access-log encryption are read whatever form the template gives them', () => {
    const m = model({
      Powertools: FUNCTION({ Layers: [{ 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':lambda:', ref('AWS::Region'), ':017000801446:layer:AWSLambdaPowertoolsTypeScriptV2:3']] }] }),
      Insights: FUNCTION({ Layers: [{ 'Fn::FindInMap': ['LambdaInsights', ref('AWS::Region'), 'arn'] }] }),
      Mine: FUNCTION({ Layers: [{ 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:layer:mine:1' }, ref('Layer')] }),
      Layer: { Type: 'AWS::Lambda::LayerVersion' },
      Uploads: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: { DestinationBucketName: ref('Logs') } } },
      Logs: { Type: 'AWS::S3::Bucket' },
      Rule: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { detail: { bucket: { name: [ref('Uploads')] }, object: { key: [{ prefix: 'in/' }] } } }, Targets: [{ Id: 'a', Arn: arn('Reader') }] } },
      Reader: FUNCTION({ Role: arn('ReaderRole') }),
      ReaderRole: { Type: 'AWS::IAM::Role' },
      ReaderPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [ref('ReaderRole')], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: [{ 'Fn::Sub': '${Uploads.Arn}/*' }, '*'] }] } },
      },
      Filtered: { Type: 'AWS::S3::Bucket', Properties: { NotificationConfiguration: { QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: arn('Q'), Filter: { S3Key: { Rules: { 'Fn::If': ['C', [], []] } } } }] } } },
      Q: { Type: 'AWS::SQS::Queue' },
    });
    expect(evidence(m, 'foreign-layers', 'Powertools')).toMatch(/^open: layers from other \(or unknown\) accounts .*:017000801446:layer:AWSLambdaPowertoolsTypeScriptV2:3/);
    expect(evidence(m, 'foreign-layers', 'Insights')).toMatch(/^open: layers from other \(or unknown\) accounts/);
    expect(evidence(m, 'foreign-layers', 'Mine')).toBe('resolved: 2 layer(s), all from this account or this app');
    expect(evidence(m, 'access-beyond-flow', 'Rule → Reader')).toBe('open: the role reads /*, * but events carry only /in/*: grant `s3:GetObject` on those keys alone');
    // aws-cdk-lib writes no encryption for a server access logs bucket: S3's default (SSE-S3) is what log delivery needs.
    expect(evidence(m, 'unencrypted-data', 'Logs')).toBe('resolved: SSE-S3: server access logs of 1 bucket(s) land here, and S3 delivers them only to SSE-S3 buckets');
    expect(flows(m)).toContain('Filtered → Q: S3 s3:ObjectCreated:*');
  });

  test('nested stacks are read from the assembly; trails cover their account in every region; the account\'s own principals are not "other accounts"', () => {
    const trail = { Type: 'AWS::CloudTrail::Trail', Properties: { IsMultiRegionTrail: true, EnableLogFileValidation: true } };
    const m = model({ Trail: trail, Permission: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: ref('Fn'), Principal: ref('AWS::AccountId'), Action: 'lambda:InvokeFunction' } }, Fn: FUNCTION() },
      {}, [{ path: 'East', stackName: 'East', templateFile: 'East.json', template: { Resources: {} }, metadata: {}, environment: 'aws://123456789012/us-east-1' }]);
    expect(evidence(m, 'untraceable-account-changes', 'AWS account 123456789012/us-east-1')).toBe('resolved: trail Trail in S: multi-region, log file validation on');
    expect(flows(m)).toContain('IAM principals of this account → Fn: lambda:InvokeFunction');
  });

  test('typed opt-outs are comments on the threats their control concerns, and only those', () => {
    const optOut = (control: string, reason: string) => [{ type: 'cdk-aegis:opt-out', data: { control, reason, rules: [] } }];
    const m = model({
      Secret: { Type: 'AWS::SecretsManager::Secret', Metadata: { 'aws:cdk:path': 'S/Secret/Resource' } },
      Fn: FUNCTION(),
      Rule: { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 'a', Arn: arn('Fn') }] } },
      Api: { Type: 'AWS::ApiGateway::RestApi', Metadata: { 'aws:cdk:path': 'S/Api/Resource' } },
      Acl: { Type: 'AWS::WAFv2::WebACL', Metadata: { 'aws:cdk:path': 'S/Api/WebAcl/Resource' }, Properties: { Rules: [] } },
      Association: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { WebACLArn: arn('Acl'), ResourceArn: ref('Api') } },
    }, {
      metadata: {
        '/S/Secret': optOut('rotation', 'rotated by the vendor'),
        '/S/Fn': optOut('deadLetterQueue', 'idempotent hourly job'),
        '/S/Api/WebAcl': optOut('waf-block:AWSManagedRulesSQLiRuleSet', 'tuning false positives'),
        '/S/Api': optOut('tracing', 'sampled elsewhere'),
      },
    });
    const comments = (key: string, where: string) => m.threats.find((t) => t.spec.key === key && t.targetName.startsWith(where))!.comments;
    expect(comments('stale-secret', 'Secret')).toEqual(['Opted out: rotation (rotated by the vendor)']);
    expect(comments('unencrypted-data', 'Secret')).toEqual([]);
    expect(comments('lost-events', 'Rule → Fn')).toEqual(['Opted out: deadLetterQueue (idempotent hourly job)']);
    expect(comments('concurrency-exhaustion', 'Fn')).toEqual([]);
    expect(comments('web-exploits', 'Api')).toEqual(['Opted out: waf-block:AWSManagedRulesSQLiRuleSet (tuning false positives)']);
    // A control no threat reads (tracing) stays in the ledger only.
    expect(m.threats.flatMap((t) => t.comments).filter((c) => c.includes('tracing'))).toEqual([]);
  });

  test('Mermaid\'s edge limit collapses the diagram even when the text is short', () => {
    const resources: Record<string, any> = {};
    for (let f = 0; f < 26; f++) {
      resources[`F${f}`] = FUNCTION({ Role: arn(`R${f}`) });
      resources[`R${f}`] = { Type: 'AWS::IAM::Role' };
      resources[`P${f}`] = {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [ref(`R${f}`)], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: Array.from({ length: 20 }, (_, q) => arn(`Q${q}`)) }] } },
      };
    }
    for (let q = 0; q < 20; q++) {
      resources[`Q${q}`] = { Type: 'AWS::SQS::Queue' };
    }
    const m = model(resources);
    expect(m.graph.flows.size).toBe(520);
    const diagram = mermaidFlowchart(m);
    expect(diagram.collapsed).toBe(true);
    expect(diagram.text).toContain('"stack S (46 elements)"');
  });

  test('cross-stack references that name no output are dropped, not guessed; writers keep the schema\'s limits', () => {
    const m = model({
      Fn: FUNCTION({ Role: arn('Role') }),
      Role: { Type: 'AWS::IAM::Role' },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [ref('Role')],
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: [{ 'Fn::ImportValue': 'Missing' }, { 'Fn::GetStackOutput': { StackName: 'Nope', OutputName: 'X' } }, { 'Fn::Sub': '${Bucket.Arn}/*' }] }] },
        },
      },
      Bucket: { Type: 'AWS::S3::Bucket' },
    });
    expect(flows(m)).toEqual(['Bucket → Fn: s3:GetObject']);
    const composer = toThreatComposer(m, 'x'.repeat(300)) as any;
    expect((composer.applicationInfo.name as string).length).toBe(200);
    expect(toMarkdown(m, 'S')).toContain('| Bucket | Fn | s3:GetObject | IAM policy |');
  });
});
