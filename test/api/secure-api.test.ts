import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  ApiAuthorization,
  HttpMethod,
  SecureApi,
  SecureApiProps,
  SecureFunction,
  SecureRouteOptions,
  SecureWebAcl,
  SecurityProfile,
  WebAclScope,
} from '../../src';
import { compliantVpc } from '../fixtures/compliant-vpc';
import { asArray, iamStatements } from '../helpers/iam';
import { CODE, enforcedStack, plainStack } from '../helpers/stacks';
import { findingLines, synthesize } from '../helpers/synth';

const ORDER_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['sku', 'quantity'],
  properties: {
    sku: { type: apigateway.JsonSchemaType.STRING, pattern: '^[A-Z0-9-]{3,32}$' },
    quantity: { type: apigateway.JsonSchemaType.INTEGER, minimum: 1, maximum: 100 },
  },
  additionalProperties: false,
};

/** An API with one IAM-authorized route in a plain app (template assertions only). */
function baseline(props: SecureApiProps = {}, route: SecureRouteOptions = {}) {
  const { app, stack } = plainStack();
  const fn = new SecureFunction(stack, 'Orders', { code: CODE, handler: 'index.handler' });
  const api = new SecureApi(stack, 'Api', props);
  const method = api.addRoute(HttpMethod.POST, '/orders', fn, route);
  return { app, stack, fn, api, method };
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: any } } | any) =>
  stack.getLogicalId((construct.node.defaultChild ?? construct) as any);

describe('SecureApi zero findings', () => {
  test('a default API with one route and a SecureFunction has zero findings in AwsSolutions and Serverless (BASELINE)', () => {
    const { app, stack } = enforcedStack();
    const fn = new SecureFunction(stack, 'Orders', { code: CODE, handler: 'index.handler' });
    new SecureApi(stack, 'Api').addRoute(HttpMethod.POST, '/orders', fn, { requestSchema: ORDER_SCHEMA });

    const result = synthesize(app);

    expect(findingLines(result.findings)).toEqual([]);
    expect(result.error).toBeUndefined();
    // The library's own acknowledgements are the documented ones, and nothing else.
    expect(result.acknowledged.map((a) => `${a.acknowledgedId} @ ${a.paths.join(',')}`).sort()).toEqual([
      'AwsSolutions::AwsSolutions-COG4 @ TestStack/Api/Resource/Default/orders/POST/Resource',
      'AwsSolutions::AwsSolutions-IAM5[Resource::*] @ TestStack/AegisXRayWriteAccess/Resource',
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*] @ TestStack/AegisApiGatewayAccount/CloudWatchPolicy/Resource',
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:API-Gateway-Access-Logs_*] @ TestStack/AegisApiGatewayAccount/CloudWatchPolicy/Resource',
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:API-Gateway-Execution-Logs_*] @ TestStack/AegisApiGatewayAccount/CloudWatchPolicy/Resource',
      'AwsSolutions::AwsSolutions-SQS3 @ TestStack/AegisMonitoring/SecurityChangesDeadLetterQueue/Resource',
      'Serverless::Serverless-SQSRedrivePolicy @ TestStack/AegisMonitoring/SecurityChangesDeadLetterQueue/Resource',
      'Serverless::Serverless-SQSRedrivePolicy @ TestStack/Orders/DeadLetterQueue/Resource',
    ]);
    expect(result.acknowledged.every((a) => a.reason.startsWith('cdk-aegis ('))).toBe(true);
  });

  test('under REGULATED, an API with VPC functions has zero findings in all five packs', () => {
    const { app, stack } = enforcedStack(SecurityProfile.REGULATED);
    const vpc = compliantVpc(stack);
    const fn = new SecureFunction(stack, 'Orders', { code: CODE, handler: 'index.handler', vpc, reservedConcurrentExecutions: 5 });
    const api = new SecureApi(stack, 'Api');
    api.addRoute(HttpMethod.POST, '/orders', fn, { requestSchema: ORDER_SCHEMA });
    api.addRoute(HttpMethod.GET, '/orders/{id}', fn);

    const result = synthesize(app);

    expect(findingLines(result.findings)).toEqual([]);
    expect(new Set(result.acknowledged.map((a) => a.plugin))).toEqual(new Set(['AwsSolutions', 'Serverless']));
  });

  test('ApiAuthorization.none() on one route does not leak: an unauthenticated method elsewhere still fails', () => {
    const { app, stack } = enforcedStack();
    const fn = new SecureFunction(stack, 'Health', { code: CODE, handler: 'index.handler' });
    new SecureApi(stack, 'Api').addRoute(HttpMethod.GET, '/health', fn, {
      authorization: ApiAuthorization.none({ reason: 'load balancer health probe, returns no data' }),
    });
    // Someone else's API in the same app, open by mistake.
    const legacy = new apigateway.RestApi(stack, 'Legacy', { deploy: false });
    legacy.root.addResource('open').addMethod('GET', new apigateway.MockIntegration(), { authorizationType: apigateway.AuthorizationType.NONE });

    const result = synthesize(app);

    const open = findingLines(result.findings).filter((line) => line.includes('TestStack/Legacy/Default/open/GET'));
    expect(open).toEqual(expect.arrayContaining([
      'AwsSolutions AwsSolutions-APIG4 @ TestStack/Legacy/Default/open/GET/Resource',
      'AwsSolutions AwsSolutions-COG4 @ TestStack/Legacy/Default/open/GET/Resource',
    ]));
    expect(findingLines(result.findings).filter((line) => line.includes('TestStack/Api/'))).toEqual([]);
    const optOut = result.acknowledged.filter((a) => a.reason.includes('authorization off'));
    expect(optOut.map((a) => `${a.acknowledgedId} @ ${a.paths.join(',')}`).sort()).toEqual([
      'AwsSolutions::AwsSolutions-APIG4 @ TestStack/Api/Resource/Default/health/GET/Resource',
      'AwsSolutions::AwsSolutions-COG4 @ TestStack/Api/Resource/Default/health/GET/Resource',
    ]);
    expect(optOut[0].reason).toBe('cdk-aegis (opt-out): authorization off: load balancer health probe, returns no data');
  });
});

describe('SecureApi stage', () => {
  test('is regional, traced, and logs JSON access logs to an encrypted, retained log group named for the API', () => {
    const { stack, api } = baseline();
    const template = Template.fromStack(stack);
    const apiId = logicalId(stack, api.restApi);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: { 'Fn::GetAtt': [logicalId(stack, api.accessLogGroup), 'Arn'] },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
    const format = JSON.parse(Template.fromStack(stack).findResources('AWS::ApiGateway::Stage')[logicalId(stack, api.stage)].Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', ip: '$context.identity.sourceIp', status: '$context.status' });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Access-Logs_', { Ref: apiId }, '/prod']] },
        KmsKeyId: Match.anyValue(),
        RetentionInDays: 90,
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('logs execution errors without payloads, to an encrypted log group created before the stage', () => {
    const { stack, api } = baseline();
    const template = Template.fromStack(stack);
    const executionLogsId = logicalId(stack, api.executionLogGroup);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: logicalId(stack, api.restApi) }, '/prod']] },
        KmsKeyId: Match.anyValue(),
        RetentionInDays: 90,
      },
    });
    template.hasResource('AWS::ApiGateway::Stage', {
      Properties: {
        MethodSettings: [{
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          MetricsEnabled: true,
          ThrottlingRateLimit: 100,
          ThrottlingBurstLimit: 200,
        }],
      },
      DependsOn: Match.arrayWith([executionLogsId]),
    });
  });

  test('applies stage throttling and per-route overrides keyed by the encoded path', () => {
    const { stack, api, fn } = baseline({ throttling: { rateLimit: 20, burstLimit: 40 } });
    api.addRoute(HttpMethod.GET, '/orders/{id}', fn, { throttling: { rateLimit: 5, burstLimit: 10 } });
    api.addRoute(HttpMethod.ANY, '/', fn, { throttling: { rateLimit: 1, burstLimit: 1 } });
    const settings = Template.fromStack(stack).findResources('AWS::ApiGateway::Stage')[logicalId(stack, api.stage)].Properties.MethodSettings;
    const summary = settings.map((s: any) =>
      [s.HttpMethod, s.ResourcePath, s.ThrottlingRateLimit, s.ThrottlingBurstLimit, s.LoggingLevel, s.DataTraceEnabled]);
    expect(summary).toEqual([
      ['*', '/*', 20, 40, 'ERROR', false],
      ['GET', '/~1orders~1{id}', 5, 10, 'ERROR', false],
      ['*', '/', 1, 1, 'ERROR', false],
    ]);
  });

  test('uses the given stage name and log retention', () => {
    const { stack } = baseline({ stageName: 'v1', accessLogRetention: logs.RetentionDays.SIX_MONTHS });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'v1' });
    // Access, execution and WAF logs.
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 180 }, 3);
  });

  test('adds security headers to every gateway error response', () => {
    const { stack } = baseline();
    const template = Template.fromStack(stack);
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: {
          'gatewayresponse.header.Strict-Transport-Security': "'max-age=31536000; includeSubDomains'",
          'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
          'gatewayresponse.header.X-Frame-Options': "'DENY'",
          'gatewayresponse.header.Content-Security-Policy': "'default-src 'none'; frame-ancestors 'none''",
          'gatewayresponse.header.Cache-Control': "'no-store'",
          'gatewayresponse.header.Referrer-Policy': "'no-referrer'",
        },
      });
    }
  });

  test('under REGULATED, has an encrypted cache that caches nothing across callers, and a client certificate', () => {
    const { app, stack } = enforcedStack(SecurityProfile.REGULATED);
    const vpc = compliantVpc(stack);
    const fn = new SecureFunction(stack, 'Orders', { code: CODE, handler: 'index.handler', vpc, reservedConcurrentExecutions: 5 });
    const api = new SecureApi(stack, 'Api');
    api.addRoute(HttpMethod.GET, '/orders', fn, { throttling: { rateLimit: 5, burstLimit: 5 } });
    app.synth();
    const template = Template.fromStack(stack);
    const stage = template.findResources('AWS::ApiGateway::Stage')[logicalId(stack, api.stage)].Properties;
    expect(stage.CacheClusterEnabled).toBe(true);
    expect(stage.CacheClusterSize).toBe('0.5');
    expect(stage.ClientCertificateId).toEqual({ Ref: Object.keys(template.findResources('AWS::ApiGateway::ClientCertificate'))[0] });
    for (const setting of stage.MethodSettings) {
      expect(setting).toMatchObject({ CachingEnabled: true, CacheDataEncrypted: true, CacheTtlInSeconds: 0 });
    }
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 365 }, 5);
  });
});

describe('SecureApi routes', () => {
  test('every method is IAM-authorized and validated by the API request validator', () => {
    const { stack, api } = baseline();
    const template = Template.fromStack(stack);
    const validatorId = Object.keys(template.findResources('AWS::ApiGateway::RequestValidator'))[0];
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      RestApiId: { Ref: logicalId(stack, api.restApi) },
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'AWS_IAM',
      RequestValidatorId: { Ref: validatorId },
      Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
    });
  });

  test('validates the body against requestSchema whatever the content type', () => {
    const { stack } = baseline({}, { requestSchema: ORDER_SCHEMA });
    const template = Template.fromStack(stack);
    const modelId = Object.keys(template.findResources('AWS::ApiGateway::Model'))[0];
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: Match.objectLike({ required: ['sku', 'quantity'], additionalProperties: false }),
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      RequestModels: { 'application/json': { Ref: modelId }, '$default': { Ref: modelId } },
    });
  });

  test('requires path parameters and the request parameters given', () => {
    const { stack, api, fn } = baseline();
    api.addRoute(HttpMethod.GET, '/orders/{id}/lines/{proxy+}', fn, {
      requestParameters: { 'method.request.querystring.page': false, 'method.request.header.X-Tenant': true },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: {
        'method.request.path.id': true,
        'method.request.path.proxy': true,
        'method.request.querystring.page': false,
        'method.request.header.X-Tenant': true,
      },
    });
  });

  test('the invoke permission carries the exact stage, method and path ARN and the source account', () => {
    const { stack, api, fn } = baseline();
    api.addRoute(HttpMethod.GET, '/orders/{id}', fn);
    const template = Template.fromStack(stack);
    const apiId = logicalId(stack, api.restApi);
    const stageId = logicalId(stack, api.stage);
    const arn = (methodAndPath: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':', { Ref: apiId }, '/', { Ref: stageId }, methodAndPath]],
    });
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map((p: any) => p.Properties);
    expect(permissions).toEqual([
      { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [logicalId(stack, fn), 'Arn'] }, Principal: 'apigateway.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' }, SourceArn: arn('/POST/orders') },
      { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [logicalId(stack, fn), 'Arn'] }, Principal: 'apigateway.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' }, SourceArn: arn('/GET/orders/*') },
    ]);
  });

  test('apiKeyRequired routes need a usage plan; keys are generated by API Gateway, never in the template', () => {
    const { app, stack, api } = baseline({}, { apiKeyRequired: true });
    expect(() => app.synth()).toThrow(/POST \/orders require an API key but the API has no usage plan/);

    const plan = api.addUsagePlan('Partners', { quota: { limit: 10000, period: apigateway.Period.DAY } });
    api.addApiKey('AcmeKey', plan, { description: 'Acme Corp integration' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Method', { ApiKeyRequired: true });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      ApiStages: [{ ApiId: { Ref: logicalId(stack, api.restApi) }, Stage: { Ref: logicalId(stack, api.stage) } }],
      Throttle: { RateLimit: 100, BurstLimit: 200 },
      Quota: { Limit: 10000, Period: 'DAY' },
    });
    const key: any = Object.values(template.findResources('AWS::ApiGateway::ApiKey'))[0];
    expect(key.Properties.Value).toBeUndefined();
    expect(key.Properties).toMatchObject({ Enabled: true, Description: 'Acme Corp integration' });
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
  });
});

describe('SecureApi escape hatch and opt-outs', () => {
  test('a method added through restApi is IAM-authorized too', () => {
    const { stack, api } = baseline();
    api.restApi.root.addResource('admin').addMethod('DELETE', new apigateway.MockIntegration());
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'DELETE', AuthorizationType: 'AWS_IAM' });
  });

  test('ANY and greedy routes get permissions for every method and sub-path of exactly that route', () => {
    const { stack, api, fn } = baseline();
    api.addRoute(HttpMethod.ANY, '/files/{proxy+}', fn);
    const arns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Permission')).map((p: any) => p.Properties.SourceArn['Fn::Join'][1].at(-1));
    expect(arns).toEqual(['/POST/orders', '/*/files/*']);
  });

  test('an API-wide none() records the opt-out on every method', () => {
    const { app, stack } = enforcedStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    const api = new SecureApi(stack, 'Api', { authorization: ApiAuthorization.none({ reason: 'public catalogue, read-only' }) });
    api.addRoute(HttpMethod.GET, '/products', fn);
    api.addRoute(HttpMethod.GET, '/products/{id}', fn);
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.acknowledged.filter((a) => a.reason.includes('public catalogue')).map((a) => `${a.rule} @ ${a.acknowledgedAt}`).sort()).toEqual([
      'AwsSolutions-APIG4 @ TestStack/Api/Resource/Default/products/GET',
      'AwsSolutions-APIG4 @ TestStack/Api/Resource/Default/products/{id}/GET',
      'AwsSolutions-COG4 @ TestStack/Api/Resource/Default/products/GET',
      'AwsSolutions-COG4 @ TestStack/Api/Resource/Default/products/{id}/GET',
    ]);
    Annotations.fromStack(stack).hasWarning('/TestStack/Api/Resource/Default/products/GET', Match.stringLikeRegexp('authorization is off \\(public catalogue'));
  });

  test('the headers a Lambda authorizer reads are redacted from the WAF logs', () => {
    const { stack, api, fn } = baseline();
    api.addRoute(HttpMethod.GET, '/reports', fn, { authorization: ApiAuthorization.lambdaToken(fn, { identitySource: 'method.request.header.X-Session' }) });
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [
        { SingleHeader: { Name: 'authorization' } },
        { SingleHeader: { Name: 'cookie' } },
        { SingleHeader: { Name: 'x-api-key' } },
        { SingleHeader: { Name: 'x-amz-security-token' } },
        { SingleHeader: { Name: 'x-session' } },
      ],
    });
  });
});

describe('SecureApi web ACL', () => {
  test('a web ACL managed elsewhere is associated instead of a new one', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    const arn = 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/org-baseline/abc';
    const api = new SecureApi(stack, 'Api', { existingWebAclArn: arn });
    api.addRoute(HttpMethod.GET, '/orders', fn);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arn });
    expect(api.webAcl).toBeUndefined();
    expect(api.webAclArn).toBe(arn);
  });

  test('gets a new web ACL associated with its stage', () => {
    const { stack, api } = baseline();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: { 'Fn::GetAtt': [logicalId(stack, api.webAcl!), 'Arn'] },
      ResourceArn: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/restapis/', { Ref: logicalId(stack, api.restApi) }, '/stages/', { Ref: logicalId(stack, api.stage) }]],
      },
    });
  });

  test('one web ACL protects several APIs', () => {
    const { app, stack } = enforcedStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    const waf = new SecureWebAcl(stack, 'Waf');
    new SecureApi(stack, 'Orders', { webAcl: waf }).addRoute(HttpMethod.GET, '/orders', fn);
    new SecureApi(stack, 'Billing', { webAcl: waf }).addRoute(HttpMethod.GET, '/invoices', fn);
    expect(findingLines(synthesize(app).findings)).toEqual([]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourcePropertiesCountIs('AWS::WAFv2::WebACLAssociation', { WebACLArn: { 'Fn::GetAtt': [logicalId(stack, waf), 'Arn'] } }, 2);
    // The account-level logging role is set once per stack.
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });
});

describe('SecureApi account logging role', () => {
  test('uses a customer-managed policy scoped to REST API log groups, no AWS-managed policy', () => {
    const { stack, api } = baseline();
    const template = Template.fromStack(stack);
    const role: any = Object.values(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] } } }))[0];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.DeletionPolicy).toBe('Retain');
    const statements = iamStatements(template).filter(({ owner }) => owner.startsWith('AegisApiGatewayAccountCloudWatchPolicy'));
    expect(statements.map(({ statement }) => [asArray(statement.Action), asArray(statement.Resource).map((r: any) => r['Fn::Join'][1].at(-1))])).toEqual([
      [['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], [':log-group:API-Gateway-Execution-Logs_*', ':log-group:API-Gateway-Access-Logs_*']],
      [['logs:DescribeLogGroups'], [':log-group:*']],
    ]);
    const accountId = Object.keys(template.findResources('AWS::ApiGateway::Account'))[0];
    template.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([accountId]) });
    template.hasResourceProperties('AWS::ApiGateway::Account', { CloudWatchRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AegisApiGatewayAccountCloudWatchRole'), 'Arn'] } });
    expect(logicalId(stack, api.stage)).toMatch(/^ApiDeploymentStageprod/);
  });

  test('warns that the role is set for the whole account and region', () => {
    const { stack } = baseline();
    Annotations.fromStack(stack).hasWarning('/TestStack/AegisApiGatewayAccount', Match.stringLikeRegexp('sets API Gateway\'s CloudWatch role for its whole account and region'));
  });

  test('is left alone with configureAccountLogging: false', () => {
    const { stack } = baseline({ configureAccountLogging: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    template.resourceCountIs('AWS::IAM::Role', 1); // the function's
  });
});

describe('SecureApi authorization', () => {
  test('a Cognito route uses a user-pool authorizer with scopes and needs no acknowledgement', () => {
    const { app, stack } = enforcedStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_abc');
    const api = new SecureApi(stack, 'Api', { authorization: ApiAuthorization.cognito(pool, { scopes: ['orders/read'] }) });
    api.addRoute(HttpMethod.GET, '/orders', fn);
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.acknowledged.filter((a) => a.rule.includes('COG4'))).toEqual([]);
    const template = Template.fromStack(stack);
    const authorizerId = Object.keys(template.findResources('AWS::ApiGateway::Authorizer'))[0];
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      ProviderARNs: [pool.userPoolArn],
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizerId: { Ref: authorizerId },
      AuthorizationScopes: ['orders/read'],
    });
  });

  test('a Lambda token authorizer is created once per API, cached for a bounded time, and invoked only by that authorizer', () => {
    const { app, stack } = enforcedStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    const authFn = new SecureFunction(stack, 'Authorizer', { code: CODE, handler: 'index.handler' });
    const auth = ApiAuthorization.lambdaToken(authFn, { resultsCacheTtl: Duration.minutes(1), validationRegex: '^Bearer [-0-9a-zA-Z._]+$' });
    const api = new SecureApi(stack, 'Api', { authorization: auth });
    api.addRoute(HttpMethod.GET, '/orders', fn);
    api.addRoute(HttpMethod.POST, '/orders', fn);
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.acknowledged.filter((a) => a.rule.includes('COG4')).map((a) => a.reason)).toEqual([
      expect.stringContaining('cdk-aegis (rule defect): the method is authorized with a Lambda authorizer'),
      expect.stringContaining('cdk-aegis (rule defect): the method is authorized with a Lambda authorizer'),
    ]);
    const template = Template.fromStack(stack);
    const authorizers = template.findResources('AWS::ApiGateway::Authorizer');
    expect(Object.keys(authorizers)).toHaveLength(1);
    const authorizerId = Object.keys(authorizers)[0];
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      IdentityValidationExpression: '^Bearer [-0-9a-zA-Z._]+$',
      AuthorizerResultTtlInSeconds: 60,
    });
    template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } }, 2);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [logicalId(stack, authFn), 'Arn'] },
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':', { Ref: logicalId(stack, api.restApi) }, '/authorizers/', { Ref: authorizerId }]],
      },
    });
  });

  test('a Lambda request authorizer keys its cache on the identity sources given', () => {
    const { stack, api, fn } = baseline();
    api.addRoute(HttpMethod.GET, '/reports', fn, {
      authorization: ApiAuthorization.lambdaRequest(fn, { identitySources: ['method.request.header.Authorization', 'context.sourceIp'] }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization,context.sourceIp',
      AuthorizerResultTtlInSeconds: 300,
    });
  });

  test('an IAM route carries the COG4 rule-defect acknowledgement on that method only', () => {
    const { app, stack } = enforcedStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    new SecureApi(stack, 'Api').addRoute(HttpMethod.DELETE, '/orders/{id}', fn);
    const cog4 = synthesize(app).acknowledged.filter((a) => a.rule.includes('COG4'));
    expect(cog4.map((a) => a.paths)).toEqual([['TestStack/Api/Resource/Default/orders/{id}/DELETE/Resource']]);
    expect(cog4[0].reason).toMatch(/^cdk-aegis \(rule defect\): the method is authorized with AWS IAM/);
  });
});

describe('SecureApi custom domain and CORS', () => {
  const certificate = (stack: Stack) => acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc');

  test('a custom domain requires TLS 1.2 and turns the execute-api endpoint off', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    const api = new SecureApi(stack, 'Api', { customDomain: { domainName: 'api.example.com', certificate: certificate(stack), basePath: 'v1' } });
    api.addRoute(HttpMethod.GET, '/orders', fn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      SecurityPolicy: 'TLS_1_2',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'v1' });
    expect(api.url).toBe('https://api.example.com/v1/');
    expect(Object.keys(template.findOutputs('*'))).toEqual([]);
  });

  test('an enhanced TLS 1.3 policy is used in STRICT endpoint access mode', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    new SecureApi(stack, 'Api', {
      customDomain: { domainName: 'api.example.com', certificate: certificate(stack), securityPolicy: apigateway.SecurityPolicy.TLS13_1_3_2025_09 },
    }).addRoute(HttpMethod.GET, '/orders', fn);
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::DomainName', {
      SecurityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09',
      EndpointAccessMode: 'STRICT',
    });
  });

  test('CORS answers preflights for the listed origins without authorization, and keeps zero findings', () => {
    const { app, stack } = enforcedStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    new SecureApi(stack, 'Api', { cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true } }).addRoute(HttpMethod.GET, '/orders', fn);
    expect(findingLines(synthesize(app).findings)).toEqual([]);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      AuthorizationType: 'NONE',
      Integration: Match.objectLike({
        Type: 'MOCK',
        IntegrationResponses: [Match.objectLike({
          ResponseParameters: Match.objectLike({
            'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
            'method.response.header.Access-Control-Allow-Credentials': "'true'",
            'method.response.header.Access-Control-Max-Age': "'600'",
          }),
        })],
      }),
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
        'gatewayresponse.header.Vary': "'Origin'",
      }),
    });
  });

  test('CORS is off by default', () => {
    const { stack } = baseline();
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS' }, 0);
  });
});

describe('SecureApi logical ids', () => {
  test('are locked: renaming them would replace production resources', () => {
    const { stack, api, fn } = baseline({}, { requestSchema: ORDER_SCHEMA });
    api.addRoute(HttpMethod.GET, '/orders/{id}', fn, { authorization: ApiAuthorization.lambdaToken(fn) });
    const ids = Object.entries(Template.fromStack(stack).toJSON().Resources)
      .filter(([, r]: [string, any]) => !r.Type.startsWith('AWS::Lambda::Function') && !r.Type.startsWith('AWS::SQS') && r.Type !== 'AWS::KMS::Key')
      .map(([id, r]: [string, any]) => `${r.Type} ${id}`)
      // The deployment's id is a hash of the API's shape by design: it changes to redeploy.
      .map((line) => line.replace(/^(AWS::ApiGateway::Deployment ApiDeployment)[0-9A-Fa-f]+$/, '$1<hash>'))
      .filter((line) => !line.includes(' Orders'));
    expect(ids.sort()).toEqual([
      'AWS::ApiGateway::Account AegisApiGatewayAccount4A144BE0',
      'AWS::ApiGateway::Authorizer ApiTokenAuthorizerE3FAA1B4C0627FA4',
      'AWS::ApiGateway::Deployment ApiDeployment<hash>',
      'AWS::ApiGateway::GatewayResponse ApiDefault4xxCA8293D5',
      'AWS::ApiGateway::GatewayResponse ApiDefault5xx25B6D11D',
      'AWS::ApiGateway::Method ApiordersPOST04EA1796',
      'AWS::ApiGateway::Method ApiordersidGET93C10A67',
      'AWS::ApiGateway::Model ApiordersPOSTRequestModelD7C83E12',
      'AWS::ApiGateway::RequestValidator ApiRequestValidator19B67A86',
      'AWS::ApiGateway::Resource Apiorders488E0ABF',
      'AWS::ApiGateway::Resource Apiordersid245A0491',
      'AWS::ApiGateway::RestApi Api9AF3637B',
      'AWS::ApiGateway::Stage ApiDeploymentStageprodB1EF9523',
      'AWS::CloudWatch::Alarm AegisMonitoringDeadLetterQueues3E5F127C',
      'AWS::CloudWatch::Alarm AegisMonitoringFunctionDuration613B5187',
      'AWS::CloudWatch::Alarm AegisMonitoringFunctionErrorsCCE85550',
      'AWS::CloudWatch::Alarm AegisMonitoringRuleDeadLetterFailures8CF998D2',
      'AWS::CloudWatch::Alarm AegisMonitoringRuleFailedInvocations4822AE6D',
      'AWS::CloudWatch::Alarm ApiRequestSpikeAlarmA2F1F62D',
      'AWS::CloudWatch::Alarm ApiServerErrorsAlarm652FC3ED',
      'AWS::CloudWatch::Alarm ApiWebAclBlockedRequestsAlarmC90CEB10',
      'AWS::Events::Rule AegisMonitoringSecurityChangesFunctions45B1E6A5',
      'AWS::Events::Rule AegisMonitoringSecurityChangesKeys20149CA0',
      'AWS::Events::Rule AegisMonitoringSecurityChangesStagesD1DB12DB',
      'AWS::Events::Rule AegisMonitoringSecurityChangesWebAcls71D3599C',
      'AWS::IAM::ManagedPolicy AegisApiGatewayAccountCloudWatchPolicyFA01A036',
      'AWS::IAM::ManagedPolicy AegisXRayWriteAccess022399A5',
      'AWS::IAM::Role AegisApiGatewayAccountCloudWatchRole458FD25A',
      'AWS::Lambda::Permission ApiTokenAuthorizerE3FAA1B4InvokePermission51D4D205',
      'AWS::Lambda::Permission ApiordersPOSTInvokePermission0E0842C9',
      'AWS::Lambda::Permission ApiordersidGETInvokePermission0D5CAFD1',
      'AWS::Logs::LogGroup ApiAccessLogs50B185DB',
      'AWS::Logs::LogGroup ApiExecutionLogsB326CF6B',
      'AWS::Logs::LogGroup ApiWebAclLogGroup8494311B',
      'AWS::SNS::Topic AegisMonitoringAlarmTopicC0CA175A',
      'AWS::SNS::TopicPolicy AegisMonitoringAlarmTopicPolicyE86CD31F',
      'AWS::WAFv2::LoggingConfiguration ApiWebAclLogging64B637B8',
      'AWS::WAFv2::WebACL ApiWebAcl28BEBB1F',
      'AWS::WAFv2::WebACLAssociation ApiWebAclAssociation8D930937',
    ]);
  });
});

describe('SecureApi validation', () => {
  const fnIn = (stack: Stack) => new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });

  test('fails when the API has no route', () => {
    const { app, stack } = plainStack();
    new SecureApi(stack, 'Api');
    expect(() => app.synth()).toThrow(/TestStack\/Api: the API has no route; add one with `addRoute\(method, path, handler\)`/);
  });

  test.each([
    ['burst < rate', { throttling: { rateLimit: 100, burstLimit: 50 } }, /`throttling.burstLimit` \(50\) must be at least `throttling.rateLimit` \(100\)/],
    ['rate limit is not positive', { throttling: { rateLimit: 0, burstLimit: 10 } }, /`throttling.rateLimit` must be more than 0 requests per second, got: 0/],
    ['burst is not a whole number', { throttling: { rateLimit: 1, burstLimit: 2.5 } }, /`throttling.burstLimit` must be a whole number of at least 1, got: 2.5/],
    ['CORS allows * with credentials', { cors: { allowOrigins: ['*'], allowCredentials: true } }, /`cors.allowOrigins` `\*` with `cors.allowCredentials: true`/],
    ['CORS allows *', { cors: { allowOrigins: ['*'] } }, /`cors.allowOrigins` must list exact origins, got: "\*"/],
    ['a CORS origin has a path', { cors: { allowOrigins: ['https://app.example.com/'] } }, /`cors.allowOrigins` entries must be origins like `https:\/\/app.example.com`.*got: "https:\/\/app.example.com\/"/],
    ['a CORS origin is plain http', { cors: { allowOrigins: ['http://app.example.com'] } }, /got: "http:\/\/app.example.com"/],
    ['CORS has no origin', { cors: { allowOrigins: [] } }, /`cors.allowOrigins` must list at least one origin/],
    ['CORS names an unknown method', { cors: { allowOrigins: ['https://a.example.com'], allowMethods: ['FETCH'] } }, /`cors.allowMethods` entries must be one of .*got: "FETCH"/],
    ['CORS lists ANY', { cors: { allowOrigins: ['https://a.example.com'], allowMethods: ['GET', 'ANY'] } }, /leave `allowMethods` out to allow them all\), got: "ANY"/],
    ['the stage name has a space', { stageName: 'my stage' }, /`stageName` must be 1 to 128 letters, digits, `-` or `_`, got: "my stage"/],
    ['access logs are kept forever', { accessLogRetention: logs.RetentionDays.INFINITE }, /`accessLogRetention` must be a bounded retention, got: INFINITE/],
    ['the API-wide opt-out reason is short', { authorization: ApiAuthorization.none({ reason: 'public' }) }, /`authorization` opt-out needs a reason of at least 10 characters, got: "public"/],
  ])('fails when %s', (_name, props, message) => {
    const { stack } = plainStack();
    expect(() => new SecureApi(stack, 'Api', props as SecureApiProps)).toThrow(message);
  });

  test('fails when a custom domain allows TLS 1.0', () => {
    const { stack } = plainStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc');
    expect(() => new SecureApi(stack, 'Api', {
      customDomain: { domainName: 'api.example.com', certificate, securityPolicy: apigateway.SecurityPolicy.TLS_1_0 },
    })).toThrow(/`customDomain.securityPolicy` TLS_1_0 allows TLS 1.0 and 1.1/);
  });

  test('fails when the web ACL is scoped to CloudFront', () => {
    const { stack } = plainStack();
    const waf = new SecureWebAcl(stack, 'Waf', { scope: WebAclScope.CLOUDFRONT });
    expect(() => new SecureApi(stack, 'Api', { webAcl: waf })).toThrow(/`webAcl` TestStack\/Waf has scope CLOUDFRONT; a REST API stage needs a REGIONAL web ACL/);
  });

  test('fails when access logs are kept under a year under REGULATED', () => {
    const { stack } = enforcedStack(SecurityProfile.REGULATED);
    expect(() => new SecureApi(stack, 'Api', { accessLogRetention: logs.RetentionDays.THREE_MONTHS }))
      .toThrow(/`accessLogRetention` must be at least 365 days under the REGULATED profile, got: 90/);
  });

  test.each([
    ['the route path has no leading /', 'GET', 'orders', {}, /route path must start with `\/`, got: "orders"/],
    ['the route path ends with /', 'GET', '/orders/', {}, /route path "\/orders\/" has an invalid segment ""/],
    ['the route path has a bad character', 'GET', '/orders?x', {}, /invalid segment "orders\?x"/],
    ['a greedy parameter is not last', 'GET', '/{proxy+}/x', {}, /invalid segment "\{proxy\+\}"/],
    ['a path parameter repeats', 'GET', '/{id}/{id}', {}, /repeats the parameter `\{id\}`/],
    ['the method is unknown', 'FETCH', '/orders', {}, /route method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY, got: "FETCH"/],
    ['the route opt-out reason is short', 'GET', '/health', { authorization: ApiAuthorization.none({ reason: 'probe' }) }, /`options.authorization` opt-out needs a reason of at least 10 characters, got: "probe"/],
    ['route burst < rate', 'GET', '/orders', { throttling: { rateLimit: 10, burstLimit: 5 } }, /`options.throttling.burstLimit` \(5\) must be at least `options.throttling.rateLimit` \(10\)/],
    ['a request parameter is malformed', 'GET', '/orders', { requestParameters: { page: true } }, /`requestParameters` key "page" is not a request parameter/],
    ['a path request parameter is not in the path', 'GET', '/orders', { requestParameters: { 'method.request.path.id': true } }, /names the path parameter `id`, which the route path does not have/],
    ['a path request parameter is optional', 'GET', '/orders/{id}', { requestParameters: { 'method.request.path.id': false } }, /path parameter `id` is always required; set it to true/],
    ['the authorizer cache TTL is over an hour', 'GET', '/orders', { authorization: ApiAuthorization.cognito({ userPoolArn: 'arn:x', node: new Stack().node } as any, { resultsCacheTtl: Duration.hours(2) }) }, /`options.authorization` results cache TTL must be between 0 and 3600 seconds, got: 7200/],
    ['a token authorizer reads a query string', 'GET', '/orders', { authorization: ApiAuthorization.lambdaToken({} as lambda.IFunction, { identitySource: 'method.request.querystring.token' }) }, /identity source of a token authorizer must be a header/],
    ['a request authorizer has no identity source', 'GET', '/orders', { authorization: ApiAuthorization.lambdaRequest({} as lambda.IFunction, { identitySources: [] }) }, /request authorizer needs at least one of `identitySources`/],
    ['a request authorizer identity source is malformed', 'GET', '/orders', { authorization: ApiAuthorization.lambdaRequest({} as lambda.IFunction, { identitySources: ['header.x'] }) }, /identity source "header.x" is not one API Gateway accepts/],
    ['the token validation regex is invalid', 'GET', '/orders', { authorization: ApiAuthorization.lambdaToken({} as lambda.IFunction, { validationRegex: '^(Bearer' }) }, /validation regex is not a valid regular expression, got: "\^\(Bearer"/],
    ['an OAuth scope has a space', 'GET', '/orders', { authorization: ApiAuthorization.cognito({ userPoolArn: 'arn:x', node: new Stack().node } as any, { scopes: ['orders read'] }) }, /OAuth scope must be non-empty without spaces or quotes, got: "orders read"/],
  ])('fails when %s', (_name, method, path, options, message) => {
    const { stack } = plainStack();
    const api = new SecureApi(stack, 'Api');
    expect(() => api.addRoute(method as HttpMethod, path, fnIn(stack), options as SecureRouteOptions)).toThrow(message);
  });

  test('fails when a route is defined twice', () => {
    const { api, fn } = baseline();
    expect(() => api.addRoute('post' as HttpMethod, '/orders', fn)).toThrow(/route "POST \/orders" is already defined on this API/);
  });

  test('fails when a route claims OPTIONS while CORS answers preflights', () => {
    const { stack } = plainStack();
    const api = new SecureApi(stack, 'Api', { cors: { allowOrigins: ['https://app.example.com'] } });
    expect(() => api.addRoute(HttpMethod.OPTIONS, '/orders', fnIn(stack))).toThrow(/clashes with the CORS preflight/);
  });

  test('fails when a usage plan burst is below its rate', () => {
    const { api } = baseline();
    expect(() => api.addUsagePlan('Plan', { throttling: { rateLimit: 10, burstLimit: 1 } }))
      .toThrow(/TestStack\/Api\/Plan: `throttling.burstLimit` \(1\) must be at least `throttling.rateLimit` \(10\)/);
  });

  test('accepts http origins for localhost only, and an uncached request authorizer', () => {
    const { stack } = plainStack();
    const fn = fnIn(stack);
    const api = new SecureApi(stack, 'Api', { cors: { allowOrigins: ['http://localhost:3000', 'https://app.example.com:8443'] } });
    api.addRoute(HttpMethod.GET, '/x', fn, { authorization: ApiAuthorization.lambdaRequest(fn, { identitySources: ['context.sourceIp'], resultsCacheTtl: Duration.seconds(0) }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'REQUEST', IdentitySource: 'context.sourceIp', AuthorizerResultTtlInSeconds: 0 });
    // With two origins the preflight answers with the caller's origin when it is listed.
    const preflight: any = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } }))[0];
    expect(JSON.stringify(preflight.Properties.Integration.IntegrationResponses)).toContain('http://localhost:3000');
  });

  test('fails when two routes name the parameter of one path level differently', () => {
    const { api, fn } = baseline();
    api.addRoute(HttpMethod.GET, '/orders/{id}', fn);
    expect(() => api.addRoute(HttpMethod.DELETE, '/orders/{orderId}', fn))
      .toThrow(/route path "\/orders\/\{orderId\}" has `\{orderId\}` where another route has `\{id\}`; API Gateway allows one parameter per path level/);
    expect(() => api.addRoute(HttpMethod.GET, '/orders/{proxy+}', fn)).toThrow(/has `\{proxy\+\}` where another route has `\{id\}`/);
    expect(() => api.addRoute(HttpMethod.GET, '/orders/{id}/lines', fn)).not.toThrow();
  });

  test.each([
    ['the domain name has a scheme', { domainName: 'https://api.example.com' }, /`customDomain.domainName` must be a host name like `api.example.com` \(no scheme, path or port\), got: "https:\/\/api.example.com"/],
    ['the base path starts with /', { domainName: 'api.example.com', basePath: '/v1' }, /`customDomain.basePath` must be path segments without a leading or trailing `\/`.*got: "\/v1"/],
  ])('fails when %s', (_name, domain, message) => {
    const { stack } = plainStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc');
    expect(() => new SecureApi(stack, 'Api', { customDomain: { certificate, ...domain } as any })).toThrow(message);
  });

  test('fails when both webAcl and existingWebAclArn are given', () => {
    const { stack } = plainStack();
    const waf = new SecureWebAcl(stack, 'Waf');
    expect(() => new SecureApi(stack, 'Api', { webAcl: waf, existingWebAclArn: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/org/abc' }))
      .toThrow(/`webAcl` and `existingWebAclArn` both name the web ACL of the stage; pass one of them/);
  });
});
