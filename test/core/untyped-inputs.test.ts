import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  AlarmSetting,
  ApiAuthorization,
  Compliance,
  HttpMethod,
  ManagedRuleGroup,
  SecretRotation,
  SecureApi,
  SecureBucket,
  SecureFunction,
  SecureQueue,
  SecureSecret,
  SecureTable,
  SecureTopic,
  SecureWebAcl,
  Toggle,
} from '../../src';
import { AegisValidationError } from '../../src/core/errors';
import { CODE, plainStack } from '../helpers/stacks';

// Props as Python, Java, .NET and plain JavaScript callers can pass them: without the
// TypeScript compiler, so every value below goes through `as any`.

type Build = (stack: Stack) => unknown;
type Case = readonly [string, Build, RegExp];

/** The error `build` throws in a fresh stack; fails the test unless it is an AegisValidationError. */
function errorOf(build: Build): AegisValidationError {
  const { stack } = plainStack();
  let error: unknown;
  try {
    build(stack);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AegisValidationError);
  return error as AegisValidationError;
}

const HANDLER = 'index.handler';
const fn = (props: any): Build => (stack) => new SecureFunction(stack, 'Fn', { code: CODE, handler: HANDLER, ...props });
const table = (props: any): Build => (stack) =>
  new SecureTable(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, ...props });
const queue = (props: any): Build => (stack) => new SecureQueue(stack, 'Queue', props);
const topic = (props: any): Build => (stack) => new SecureTopic(stack, 'Topic', props);
const bucket = (props: any): Build => (stack) => new SecureBucket(stack, 'Bucket', props);
const secret = (props: any): Build => (stack) => new SecureSecret(stack, 'Secret', props);
const api = (props: any): Build => (stack) => new SecureApi(stack, 'Api', props);
const webAcl = (props: any): Build => (stack) => new SecureWebAcl(stack, 'Waf', props);
const helper = (stack: Stack) => new SecureFunction(stack, 'Helper', { code: CODE, handler: HANDLER });
const route = (method: any, path: any, handler: any, options?: any): Build => (stack) =>
  new SecureApi(stack, 'Api').addRoute(method, path, handler === 'helper' ? helper(stack) : handler, options);
const certificate = (stack: Stack) => acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111122223333:certificate/abc');

describe('SecureFunction with untyped props', () => {
  const CASES: Case[] = [
    ['props are missing', (stack) => new SecureFunction(stack, 'Fn', undefined as any), /`props` must be an object with at least `entry`.*or `code` and `handler`.*got: undefined/],
    ['props are a string', (stack) => new SecureFunction(stack, 'Fn', 'index.handler' as any), /`props`.*got: "index.handler"/],
    ['handler is a number', fn({ handler: 42 }), /`handler` must be a non-empty string, e.g. `index.handler`, got: 42\./],
    ['handler is empty', fn({ handler: '' }), /`handler` must be a non-empty string.*got: ""/],
    ['handler is blank', fn({ handler: '   ' }), /`handler`.*got: " {3}"/],
    ['handler is missing', fn({ handler: undefined }), /`handler` is required.*got: undefined/],
    ['code is a file name', fn({ code: 'index.js' }), /`code` must be a lambda\.Code, e\.g\. `lambda\.Code\.fromAsset.*got: "index\.js"/],
    // `code` is optional since `entry` can stand for it: without either, the error names both.
    ['code is missing', fn({ code: undefined }), /pass `code` \(a prebuilt asset.*or `entry`.*got neither/],
    ['runtime is a runtime name', fn({ runtime: 'nodejs22.x' }), /`runtime` must be a lambda\.Runtime member.*got: "nodejs22\.x"/],
    ['runtime is a look-alike object', fn({ runtime: { name: 'nodejs22.x', family: 0 } }), /`runtime`.*got: \{"name":"nodejs22\.x","family":0\}/],
    ['description is a number', fn({ description: 42 }), /`description` must be a string, got: 42/],
    ['environment is a string', fn({ environment: 'x' }), /`environment` must be an object of names to strings.*got: "x"/],
    ['environment is a list', fn({ environment: ['A=1'] }), /`environment`.*got: \["A=1"\]/],
    ['an environment value is a number', fn({ environment: { MAX_RETRIES: 3 } }), /`environment\.MAX_RETRIES` must be a string.*got: 3/],
    ['an environment value is a boolean', fn({ environment: { DEBUG: false } }), /`environment\.DEBUG`.*got: false/],
    ['secrets is a list', fn({ secrets: ['STRIPE'] }), /`secrets` must be an object.*got: \["STRIPE"\]/],
    ['a secret is an ARN string', fn({ secrets: { STRIPE: 'arn:aws:secretsmanager:us-east-1:1:secret:x' } }), /`secrets\.STRIPE` must be a secretsmanager\.ISecret.*got: "arn:aws:secretsmanager/],
    ['parametersAndSecretsExtension is a string', fn({ parametersAndSecretsExtension: 'true' }), /`parametersAndSecretsExtension` must be true or false, got: "true"/],
    ['timeout is a number', fn({ timeout: 30 }), /`timeout` must be a Duration \(a bare number has no unit\), e\.g\. `Duration\.seconds\(30\)`.*got: 30\./],
    ['timeout is a string', fn({ timeout: '30s' }), /`timeout` must be a Duration.*got: "30s"/],
    ['timeout is a look-alike object', fn({ timeout: { amount: 30, unit: 'seconds' } }), /`timeout`.*got: \{"amount":30,"unit":"seconds"\}/],
    ['memorySize is a string', fn({ memorySize: '256' }), /`memorySize` must be a number, e\.g\. `512` \(without quotes\), got: "256"/],
    ['memorySize is NaN', fn({ memorySize: NaN }), /`memorySize`.*got: NaN/],
    ['architecture is a string', fn({ architecture: 'arm64' }), /`architecture` must be a lambda\.Architecture member.*got: "arm64"/],
    ['layers is one ARN', fn({ layers: 'arn:aws:lambda:us-east-1:1:layer:x:1' }), /`layers` must be a list.*got: "arn:aws:lambda/],
    ['a layer is an ARN', fn({ layers: ['arn:aws:lambda:us-east-1:1:layer:x:1'] }), /`layers\[0\]` must be a lambda\.ILayerVersion.*got: "arn:aws:lambda/],
    ['vpc is an id', fn({ vpc: 'vpc-0123' }), /`vpc` must be an ec2\.IVpc.*got: "vpc-0123"/],
    ['vpcSubnets is a string', fn({ vpcSubnets: 'private' }), /`vpcSubnets` must be an object.*got: "private"/],
    ['securityGroups is an id', fn({ securityGroups: 'sg-0123' }), /`securityGroups` must be a list.*got: "sg-0123"/],
    ['reservedConcurrentExecutions is a string', fn({ reservedConcurrentExecutions: '5' }), /`reservedConcurrentExecutions` must be a number.*got: "5"/],
    ['encryptionKey is an alias name', fn({ encryptionKey: 'alias/app' }), /`encryptionKey` must be a kms\.IKey.*got: "alias\/app"/],
    ['logRetention is a member name', fn({ logRetention: 'ONE_YEAR' }), /`logRetention` must be a member of `logs\.RetentionDays`.*got: "ONE_YEAR"\. "ONE_YEAR" is the name of `logs\.RetentionDays\.ONE_YEAR`, whose value is 365/],
    ['logRetention is a number of days CloudWatch does not offer', fn({ logRetention: 45 }), /`logRetention` must be a member of `logs\.RetentionDays` \(RetentionDays\.ONE_DAY, .*got: 45\./],
    ['tracing is false', fn({ tracing: false }), /`tracing` must be `Toggle\.on\(\)` or `Toggle\.off\(\{ reason \}\)`, got: false\./],
    ['tracing is a look-alike object', fn({ tracing: { enabled: false, justification: { reason: 'a reason long enough' } } }), /`tracing`.*got: \{"enabled":false/],
    ['deadLetterQueue is a string', fn({ deadLetterQueue: 'off' }), /`deadLetterQueue` must be `Toggle\.on\(\)`.*got: "off"/],
    ['errorsAlarm is true', fn({ errorsAlarm: true }), /`errorsAlarm` must be `AlarmSetting\.on\(\)`.*got: true/],
    ['durationAlarm is a look-alike object', fn({ durationAlarm: { enabled: true, options: {} } }), /`durationAlarm`.*got: \{"enabled":true,"options":\{\}\}/],
    ['an alarm period is a number', fn({ errorsAlarm: AlarmSetting.on({ period: 300 as any }) }), /`errorsAlarm\.period` must be a Duration.*got: 300/],
    ['an alarm threshold is a string', fn({ errorsAlarm: AlarmSetting.on({ threshold: '5' as any }) }), /`errorsAlarm\.threshold` must be a number.*got: "5"/],
    ['alarm options are a number', fn({ throttlesAlarm: AlarmSetting.on(5 as any) }), /`throttlesAlarm options` must be an object.*got: 5/],
  ];

  test.each(CASES)('fails when %s', (_, build, message) => {
    expect(errorOf(build).message).toMatch(message);
  });

  test('fails with every wrong type listed together, before any later check reads them', () => {
    const error = errorOf(fn({ handler: '', timeout: 30, memorySize: '256', tracing: false }));

    expect(error.problems).toHaveLength(4);
    expect(error.problems.map((p) => p.split(' ')[0])).toEqual(['`handler`', '`timeout`', '`memorySize`', '`tracing`']);
  });

  test('accepts unresolved tokens and the real types', () => {
    const { stack } = plainStack();
    const f = new SecureFunction(stack, 'Fn', {
      code: CODE,
      handler: Token.asString({ Ref: 'Handler' }),
      memorySize: Token.asNumber({ Ref: 'Memory' }),
      timeout: Duration.seconds(30),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      encryptionKey: new kms.Key(stack, 'Key'),
      tracing: Toggle.on(),
      errorsAlarm: AlarmSetting.on({ threshold: 2, period: Duration.minutes(5) }),
    });

    expect(f.runtime).toBe(lambda.Runtime.NODEJS_22_X);
  });
});

describe('SecureTable with untyped props', () => {
  const CASES: Case[] = [
    ['props are missing', (stack) => new SecureTable(stack, 'Table', undefined as any), /`props` must be an object with at least `partitionKey`.*got: undefined/],
    ['partitionKey is a name', table({ partitionKey: 'id' }), /`partitionKey` must be an object such as `\{ name: 'id', type: dynamodb\.AttributeType\.STRING \}`, got: "id"/],
    ['partitionKey is missing', table({ partitionKey: undefined }), /`partitionKey` is required.*got: undefined/],
    ['the partition key name is empty', table({ partitionKey: { name: '', type: dynamodb.AttributeType.STRING } }), /`partitionKey\.name` must be a non-empty string.*got: ""/],
    ['the partition key name is a number', table({ partitionKey: { name: 1, type: dynamodb.AttributeType.STRING } }), /`partitionKey\.name`.*got: 1\./],
    ['the partition key type is the member name', table({ partitionKey: { name: 'id', type: 'STRING' } }),
      /`partitionKey\.type` must be a member of `dynamodb\.AttributeType` \(AttributeType\.BINARY, AttributeType\.NUMBER, AttributeType\.STRING\).*got: "STRING"\. "STRING" is the name of `dynamodb\.AttributeType\.STRING`, whose value is "S"/],
    ['the partition key type is lower case', table({ partitionKey: { name: 'id', type: 'string' } }), /`partitionKey\.type`.*got: "string".*`dynamodb\.AttributeType\.STRING`/],
    ['the partition key type is missing', table({ partitionKey: { name: 'id' } }), /`partitionKey\.type` must be a member of `dynamodb\.AttributeType`.*got: undefined/],
    ['the sort key type is unknown', table({ sortKey: { name: 'sk', type: 'DATE' } }), /`sortKey\.type`.*got: "DATE"/],
    ['sortKey is a name', table({ sortKey: 'sk' }), /`sortKey` must be an object.*got: "sk"/],
    ['billingMode is ON_DEMAND', table({ billingMode: 'ON_DEMAND' }), /`billingMode` must be a member of `dynamodb\.BillingMode` \(BillingMode\.PAY_PER_REQUEST, BillingMode\.PROVISIONED\).*got: "ON_DEMAND"/],
    ['a capacity is a string', table({ billingMode: dynamodb.BillingMode.PROVISIONED, readCapacity: '5', writeCapacity: 5, maxReadCapacity: 10, maxWriteCapacity: 10 }),
      /`readCapacity` must be a number.*got: "5"/],
    ['tableName is empty', table({ tableName: '' }), /`tableName` must be a non-empty string.*got: ""/],
    ['timeToLiveAttribute is empty', table({ timeToLiveAttribute: '' }), /`timeToLiveAttribute`.*got: ""/],
    ['stream is true', table({ stream: true }), /`stream` must be a member of `dynamodb\.StreamViewType`.*got: true/],
    ['encryptionKey is an ARN', table({ encryptionKey: 'arn:aws:kms:us-east-1:1:key/x' }), /`encryptionKey` must be a kms\.IKey.*got: "arn:aws:kms/],
    ['deletionProtection is false', table({ deletionProtection: false }), /`deletionProtection` must be `Toggle\.on\(\)` or `Toggle\.off\(\{ reason \}\)`, got: false/],
    ['removalPolicy is the member name', table({ removalPolicy: 'DESTROY' }), /`removalPolicy` must be a member of `RemovalPolicy`.*got: "DESTROY"\. "DESTROY" is the name of `RemovalPolicy\.DESTROY`, whose value is "destroy"/],
    ['throttlesAlarm is true', table({ throttlesAlarm: true }), /`throttlesAlarm` must be `AlarmSetting\.on\(\)`.*got: true/],
  ];

  test.each(CASES)('fails when %s', (_, build, message) => {
    expect(errorOf(build).message).toMatch(message);
  });
});

describe('SecureQueue and SecureTopic with untyped props', () => {
  const CASES: Case[] = [
    ['queue props are null', queue(null), /`props` must be an object of the construct's props \(or left out\), got: null/],
    ['the visibility timeout is a number', queue({ visibilityTimeout: 60 }), /`visibilityTimeout` must be a Duration \(a bare number has no unit\), e\.g\. `Duration\.minutes\(1\)`.*got: 60/],
    ['the retention period is a string', queue({ retentionPeriod: '4 days' }), /`retentionPeriod` must be a Duration.*got: "4 days"/],
    ['fifo is a string', queue({ fifo: 'true' }), /`fifo` must be true or false, got: "true"/],
    ['contentBasedDeduplication is a number', queue({ fifo: true, contentBasedDeduplication: 1 }), /`contentBasedDeduplication` must be true or false, got: 1/],
    ['maxReceiveCount is a string', queue({ maxReceiveCount: '5' }), /`maxReceiveCount` must be a number.*got: "5"/],
    ['the queue key is a string', queue({ encryptionKey: 'alias/app' }), /`encryptionKey` must be a kms\.IKey.*got: "alias\/app"/],
    ['deadLetterAlarm is false', queue({ deadLetterAlarm: false }), /`deadLetterAlarm` must be `AlarmSetting\.on\(\)`.*got: false/],
    ['an alarm evaluation count is a string', queue({ messageAgeAlarm: AlarmSetting.on({ evaluationPeriods: '3' as any }) }), /`messageAgeAlarm\.evaluationPeriods` must be a number.*got: "3"/],
    ['topic props are a string', topic('orders'), /`props`.*got: "orders"/],
    ['the topic fifo flag is a string', topic({ fifo: 'yes' }), /`fifo` must be true or false, got: "yes"/],
    ['the display name is a number', topic({ displayName: 42 }), /`displayName` must be a string, got: 42/],
    ['the topic key is a plain object', topic({ encryptionKey: {} }), /`encryptionKey` must be a kms\.IKey.*got: \{\}/],
    ['activeTracing is a string', topic({ activeTracing: 'yes' }), /`activeTracing` must be true or false, got: "yes"/],
  ];

  test.each(CASES)('fails when %s', (_, build, message) => {
    expect(errorOf(build).message).toMatch(message);
  });
});

describe('SecureBucket and SecureSecret with untyped props', () => {
  const CASES: Case[] = [
    ['the version expiration is a number', bucket({ noncurrentVersionExpiration: 90 }), /`noncurrentVersionExpiration` must be a Duration.*e\.g\. `Duration\.days\(90\)`.*got: 90/],
    ['replication is an ARN', bucket({ replication: 'arn:aws:s3:::replica' }), /`replication` must be `BucketReplication\.to\(.*got: "arn:aws:s3:::replica"/],
    ['the bucket removal policy is unknown', bucket({ removalPolicy: 'keep' }), /`removalPolicy` must be a member of `RemovalPolicy`.*got: "keep"/],
    ['bucketName is empty', bucket({ bucketName: '' }), /`bucketName` must be a non-empty string.*got: ""/],
    ['the bucket key is a number', bucket({ encryptionKey: 42 }), /`encryptionKey`.*got: 42/],
    ['secret props are missing', (stack) => new SecureSecret(stack, 'Secret', undefined as any), /`props` must be an object with at least `rotation`.*got: undefined/],
    ['rotation is a string', secret({ rotation: 'none' }), /`rotation` is required: use `SecretRotation\.schedule\(fn\)`.*got: "none"/],
    ['rotation is a look-alike object', secret({ rotation: { kind: 'none', justification: { reason: 'vendor rotates it' } } }), /`rotation`.*got: \{"kind":"none"/],
    ['the rotation interval is a number', (stack) => new SecureSecret(stack, 'Secret', { rotation: SecretRotation.schedule(helper(stack), 30 as any) }),
      /`rotation\.interval` must be a Duration.*got: 30/],
    ['the rotation function is an ARN', secret({ rotation: SecretRotation.schedule('arn:aws:lambda:us-east-1:1:function:rotate' as any) }),
      /`rotation\.rotationFunction` must be a lambda\.IFunction.*got: "arn:aws:lambda/],
    ['the hosted rotation is a string', secret({ rotation: SecretRotation.hosted('postgres' as any) }), /`rotation\.hostedRotation` must be a secretsmanager\.HostedRotation.*got: "postgres"/],
    ['the secret description is a number', secret({ rotation: SecretRotation.none({ reason: 'the vendor rotates it' }), description: 42 }), /`description` must be a string, got: 42/],
    ['generateSecretString is a string', secret({ rotation: SecretRotation.none({ reason: 'the vendor rotates it' }), generateSecretString: 'x' }),
      /`generateSecretString` must be an object.*got: "x"/],
  ];

  test.each(CASES)('fails when %s', (_, build, message) => {
    expect(errorOf(build).message).toMatch(message);
  });
});

describe('SecureApi with untyped props and routes', () => {
  const CASES: Case[] = [
    ['authorization is a string', api({ authorization: 'IAM' }), /`authorization` must be `ApiAuthorization\.iam\(\)`.*got: "IAM"/],
    ['authorization is a look-alike object', api({ authorization: { authorizationType: 'NONE' } }), /`authorization`.*got: \{"authorizationType":"NONE"\}/],
    ['the rate limit is a string', api({ throttling: { rateLimit: '100', burstLimit: 200 } }), /`throttling\.rateLimit` must be a number.*got: "100"/],
    ['the burst limit is missing', api({ throttling: { rateLimit: 100 } }), /`throttling\.burstLimit` is required.*got: undefined/],
    ['throttling is a number', api({ throttling: 100 }), /`throttling` must be an object such as `\{ rateLimit: 100, burstLimit: 200 \}`, got: 100/],
    ['webAcl is an ARN', api({ webAcl: 'arn:aws:wafv2:us-east-1:1:regional/webacl/x/y' }), /`webAcl` must be a SecureWebAcl.*got: "arn:aws:wafv2/],
    ['existingWebAclArn is empty', api({ existingWebAclArn: '' }), /`existingWebAclArn` must be a non-empty string.*got: ""/],
    ['the custom domain name is empty', (stack) => new SecureApi(stack, 'Api', { customDomain: { domainName: '', certificate: certificate(stack) } }),
      /`customDomain\.domainName` must be a non-empty string.*got: ""/],
    ['the certificate is an ARN', api({ customDomain: { domainName: 'api.example.com', certificate: 'arn:aws:acm:us-east-1:1:certificate/x' } }),
      /`customDomain\.certificate` must be an acm\.ICertificate.*got: "arn:aws:acm/],
    ['the TLS policy is unknown', (stack) => new SecureApi(stack, 'Api', { customDomain: { domainName: 'api.example.com', certificate: certificate(stack), securityPolicy: 'TLS1.2' as any } }),
      /`customDomain\.securityPolicy` must be a member of `apigateway\.SecurityPolicy`.*got: "TLS1\.2"/],
    ['customDomain is a string', api({ customDomain: 'api.example.com' }), /`customDomain` must be an object.*got: "api\.example\.com"/],
    ['the CORS origins are one string', api({ cors: { allowOrigins: 'https://app.example.com' } }), /`cors\.allowOrigins` must be a list.*got: "https:\/\/app\.example\.com"/],
    ['the CORS origins are missing', api({ cors: {} }), /`cors\.allowOrigins` is required.*got: undefined/],
    ['a CORS origin is empty', api({ cors: { allowOrigins: [''] } }), /`cors\.allowOrigins\[0\]` must be a non-empty string.*got: ""/],
    ['the CORS max age is a number', api({ cors: { allowOrigins: ['https://app.example.com'], maxAge: 600 } }), /`cors\.maxAge` must be a Duration.*got: 600/],
    ['allowCredentials is a string', api({ cors: { allowOrigins: ['https://app.example.com'], allowCredentials: 'true' } }), /`cors\.allowCredentials` must be true or false, got: "true"/],
    ['the stage name is a number', api({ stageName: 42 }), /`stageName` must be a string, got: 42/],
    ['the access log retention is a member name', api({ accessLogRetention: 'THREE_MONTHS' }), /`accessLogRetention` must be a member of `logs\.RetentionDays`.*got: "THREE_MONTHS"/],
    ['serverErrorsAlarm is false', api({ serverErrorsAlarm: false }), /`serverErrorsAlarm` must be `AlarmSetting\.on\(\)`.*got: false/],
    ['configureAccountLogging is a string', api({ configureAccountLogging: 'no' }), /`configureAccountLogging` must be true or false, got: "no"/],
    ['the API key is a string', api({ encryptionKey: 'alias/app' }), /`encryptionKey` must be a kms\.IKey.*got: "alias\/app"/],
    ['a route path is empty', route('GET', '', 'helper'), /route `path` must be a non-empty string starting with `\/`.*got: ""/],
    ['a route path is a number', route('GET', 42, 'helper'), /route `path`.*got: 42/],
    ['a route handler is a name', route('GET', '/orders', 'orders-fn'), /`handler` must be a lambda\.IFunction.*got: "orders-fn"/],
    ['a route authorization is a string', route('GET', '/orders', 'helper', { authorization: 'NONE' }), /`options\.authorization` must be `ApiAuthorization\.iam\(\)`.*got: "NONE"/],
    ['a route rate limit is a string', route('GET', '/orders', 'helper', { throttling: { rateLimit: 'x', burstLimit: 10 } }), /`options\.throttling\.rateLimit` must be a number.*got: "x"/],
    ['a request parameter flag is a string', route('GET', '/orders', 'helper', { requestParameters: { 'method.request.querystring.page': 'yes' } }),
      /`options\.requestParameters\.method\.request\.querystring\.page` must be true \(required\) or false \(optional\), got: "yes"/],
    ['apiKeyRequired is a string', route('GET', '/orders', 'helper', { apiKeyRequired: 'yes' }), /`options\.apiKeyRequired` must be true or false, got: "yes"/],
  ];

  test.each(CASES)('fails when %s', (_, build, message) => {
    expect(errorOf(build).message).toMatch(message);
  });

  test('accepts a route with every option typed', () => {
    const { stack } = plainStack();
    const method = new SecureApi(stack, 'Api').addRoute(HttpMethod.GET, '/orders/{id}', helper(stack), {
      authorization: ApiAuthorization.iam(),
      throttling: { rateLimit: 10, burstLimit: 20 },
      requestParameters: { 'method.request.querystring.page': false },
    });

    expect(method.httpMethod).toBe('GET');
  });
});

describe('SecureWebAcl with untyped props', () => {
  const CASES: Case[] = [
    ['rateLimit is a string', webAcl({ rateLimit: '100' }), /`rateLimit` must be a number.*got: "100"/],
    ['the rate window is a number', webAcl({ rateLimitWindow: 300 }), /`rateLimitWindow` must be a Duration.*got: 300/],
    ['scope is unknown', webAcl({ scope: 'GLOBAL' }), /`scope` must be a member of `WebAclScope` \(WebAclScope\.REGIONAL, WebAclScope\.CLOUDFRONT\).*got: "GLOBAL"/],
    ['blockedCountries is one string', webAcl({ blockedCountries: 'KP' }), /`blockedCountries` must be a list such as `\['KP'\]`, got: "KP"/],
    ['a blocked country is a number', webAcl({ blockedCountries: [408] }), /`blockedCountries\[0\]` must be a non-empty string.*got: 408/],
    ['a managed rule group is its name', webAcl({ additionalManagedRuleGroups: ['AWSManagedRulesAnonymousIpList'] }),
      /`additionalManagedRuleGroups\[0\]` must be a ManagedRuleGroup.*got: "AWSManagedRulesAnonymousIpList"/],
    ['a managed rule group is a look-alike object', webAcl({ additionalManagedRuleGroups: [{ name: 'X', capacity: 1, paid: false }] }),
      /`additionalManagedRuleGroups\[0\]`.*got: \{"name":"X","capacity":1,"paid":false\}/],
    ['allowed CIDRs are one string', webAcl({ allowedIpv4Cidrs: '203.0.113.0/24' }), /`allowedIpv4Cidrs` must be a list.*got: "203\.0\.113\.0\/24"/],
    ['blocked IPv6 CIDRs are one string', webAcl({ blockedIpv6Cidrs: '2001:db8::/32' }), /`blockedIpv6Cidrs` must be a list.*got: "2001:db8::\/32"/],
    ['redacted headers are one string', webAcl({ additionalRedactedHeaders: 'x-session' }), /`additionalRedactedHeaders` must be a list.*got: "x-session"/],
    ['logRetention is a word', webAcl({ logRetention: 'forever' }), /`logRetention` must be a member of `logs\.RetentionDays`.*got: "forever"/],
    ['blockedRequestsAlarm is a string', webAcl({ blockedRequestsAlarm: 'off' }), /`blockedRequestsAlarm` must be `AlarmSetting\.on\(\)`.*got: "off"/],
    ['the web ACL key is a string', webAcl({ encryptionKey: 'alias/app' }), /`encryptionKey` must be a kms\.IKey.*got: "alias\/app"/],
  ];

  test.each(CASES)('fails when %s', (_, build, message) => {
    expect(errorOf(build).message).toMatch(message);
  });

  test('accepts typed values', () => {
    const { stack } = plainStack();
    const waf = new SecureWebAcl(stack, 'Waf', {
      rateLimit: 500,
      rateLimitWindow: Duration.minutes(1),
      blockedCountries: ['KP'],
      additionalManagedRuleGroups: [ManagedRuleGroup.ANONYMOUS_IP_LIST],
    });

    expect(waf.capacity).toBeGreaterThan(0);
  });
});

describe('Compliance.enforce with untyped options', () => {
  const enforce = (options: any) => () => Compliance.of(new App()).enforce(options);

  test.each([
    ['the profile is unknown', { profile: 'strict' }, /`profile` must be a member of `SecurityProfile` \(SecurityProfile\.BASELINE, SecurityProfile\.REGULATED\).*got: "strict"/],
    ['the profile is lower case', { profile: 'regulated' }, /`profile`.*got: "regulated"\. "regulated" is the name of `SecurityProfile\.REGULATED`/],
    ['the profile is a number', { profile: 1 }, /`profile`.*got: 1\./],
    ['additionalPacks is one string', { additionalPacks: 'NIST' }, /`additionalPacks` must be a list.*got: "NIST"/],
    ['an additional pack is a plain object', { additionalPacks: [{ name: 'X' }] }, /`additionalPacks\[0\]` must be a validation plugin.*got: \{"name":"X"\}/],
    ['verbose is a string', { verbose: 'yes' }, /`verbose` must be true or false, got: "yes"/],
    ['the options are a profile name', 'REGULATED', /`options` must be an object.*got: "REGULATED"/],
  ])('fails when %s', (_, options, message) => {
    expect(enforce(options)).toThrow(AegisValidationError);
    expect(enforce(options)).toThrow(message);
  });

  test('names the App in the error', () => {
    expect(enforce({ profile: 'strict' })).toThrow(/^\[cdk-aegis\] App: /);
  });
});
