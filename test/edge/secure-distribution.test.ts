import * as crypto from 'crypto';
import * as path from 'path';
import { App, Duration, PropertyInjectors, Stack, StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  AlarmSetting,
  BucketReplication,
  EdgeGeoRestriction,
  EdgeOrigin,
  HttpMethod,
  SecureApi,
  SecureBucket,
  SecureDistribution,
  SecureDistributionProps,
  SecureEdgeFunction,
  SecureFunction,
  SecureWebAcl,
  SecurityProfile,
  StackKey,
  WebAclScope,
} from '../../src';
import { Compliance } from '../../src/compliance/compliance';
import { assemblyStacks } from '../../src/core/private/cloud-assembly';
import { buildThreatModel } from '../../src/threat-model/private/model';
import { compliantVpc } from '../fixtures/compliant-vpc';
import { REPLICA_BUCKET_ARN, REPLICA_KEY_ARN } from '../fixtures/every-construct';
import { CODE } from '../helpers/stacks';
import { findingLines, newApp, synthesize } from '../helpers/synth';

const US_EAST_1 = { account: '123456789012', region: 'us-east-1' };
/** A TypeScript handler that imports an npm package (ajv): bundled with esbuild, with an SBOM. */
const HANDLER_ENTRY = path.join(__dirname, '..', 'fixtures', 'handlers', 'validate-order.ts');
const EU_WEST_1 = { account: '123456789012', region: 'eu-west-1' };
const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/a1b2c3d4-5678-90ab-cdef-111122223333';
const US_CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

function stackIn(stackProps: StackProps = { env: US_EAST_1 }) {
  const app = new App();
  const stack = new Stack(app, 'TestStack', stackProps);
  return { app, stack };
}

/** A distribution in front of a SecureBucket, in a stack of `stackProps`. */
function distribution(props: Partial<SecureDistributionProps> = {}, stackProps?: StackProps) {
  const { app, stack } = stackIn(stackProps);
  const site = new SecureBucket(stack, 'Site');
  const cdn = new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(site), ...props });
  return { app, stack, site, cdn };
}

function distributionConfig(template: Template): any {
  return Object.values<any>(template.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
}

describe('SecureDistribution defaults (a us-east-1 stack, a bucket origin)', () => {
  let template: Template;
  let config: any;
  let cdn: SecureDistribution;
  beforeAll(() => {
    const built = distribution();
    cdn = built.cdn;
    template = Template.fromStack(built.stack);
    config = distributionConfig(template);
  });

  test('HTTPS only (viewers redirected), HTTP/2 and 3, IPv6, compression, index.html at the root', () => {
    expect(config).toMatchObject({
      Enabled: true,
      HttpVersion: 'http2and3',
      IPV6Enabled: true,
      DefaultRootObject: 'index.html',
      PriceClass: 'PriceClass_All',
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', Compress: true, AllowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
    });
  });

  test('a CLOUDFRONT-scope SecureWebAcl is created and attached', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    const [webAclId] = Object.keys(template.findResources('AWS::WAFv2::WebACL'));
    expect(config.WebACLId).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
    expect(cdn.webAcl?.webAclScope).toBe(WebAclScope.CLOUDFRONT);
  });

  test('countries under comprehensive embargo are refused by default', () => {
    expect(config.Restrictions).toEqual({ GeoRestriction: { RestrictionType: 'blacklist', Locations: ['CU', 'IR', 'KP', 'SY'] } });
  });

  test('every response carries HSTS (2 years, subdomains, preload), nosniff, DENY framing, a referrer policy and a strict CSP; Server is removed', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          ContentSecurityPolicy: { ContentSecurityPolicy: SecureDistribution.DEFAULT_CONTENT_SECURITY_POLICY, Override: true },
        },
        RemoveHeadersConfig: { Items: [{ Header: 'Server' }] },
      },
    });
    expect(SecureDistribution.DEFAULT_CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    const [policyId] = Object.keys(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  test('the bucket is reached through origin access control only: no OAI, the bucket policy names this distribution', () => {
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    const [distributionId] = Object.keys(template.findResources('AWS::CloudFront::Distribution'));
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Condition: {
            StringEquals: {
              'AWS:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: distributionId }]] },
            },
          },
        })]),
      },
    });
  });

  test('standard logs go to the stack log bucket under a prefix of their own, without cookies; the bucket takes CloudFront\'s ACL writes', () => {
    expect(config.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [expect.stringMatching(/^AegisAccessLogsBucket/), 'RegionalDomainName'] },
      Prefix: expect.stringMatching(/^cloudfront\/TestStack-Cdn-[A-Za-z0-9]+\/$/),
      IncludeCookies: false,
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  test('alarms on the 5xx error rate and the origin latency, on CloudFront\'s Global metrics; additional metrics are on for the latency', () => {
    const [distributionId] = Object.keys(template.findResources('AWS::CloudFront::Distribution'));
    const dimensions = [{ Name: 'DistributionId', Value: { Ref: distributionId } }, { Name: 'Region', Value: 'Global' }];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/CloudFront',
      MetricName: '5xxErrorRate',
      Statistic: 'Average',
      Threshold: 5,
      Dimensions: dimensions,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      Period: 60,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/CloudFront', MetricName: 'OriginLatency', ExtendedStatistic: 'p90', Threshold: 3000, Dimensions: dimensions,
    });
    template.hasResourceProperties('AWS::CloudFront::MonitoringSubscription', {
      MonitoringSubscription: { RealtimeMetricsSubscriptionConfig: { RealtimeMetricsSubscriptionStatus: 'Enabled' } },
    });
    expect(cdn.errorRateAlarm).toBeDefined();
    expect(cdn.originLatencyAlarm).toBeDefined();
  });

  test('on the *.cloudfront.net certificate, AwsSolutions-CFR4 is acknowledged as AWS-forced on the distribution only', () => {
    const metadata = JSON.stringify(template.findResources('AWS::CloudFront::Distribution'));
    expect(metadata).not.toContain('ViewerCertificate');
    const [resource] = cdn.distribution.node.findAll().filter((c) => c.node.id === 'Resource' && c.node.scope === cdn.distribution);
    const acks = resource.node.scope!.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => JSON.stringify(m.data));
    expect(acks.join()).toContain('AwsSolutions::AwsSolutions-CFR4');
    expect(acks.join()).toContain('AWS-forced');
  });

  test('logical ids are locked', () => {
    expect(Object.keys(template.findResources('AWS::CloudFront::Distribution'))).toEqual([expect.stringMatching(/^Cdn[0-9A-F]{8}$/)]);
    expect(Object.keys(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))).toEqual([expect.stringMatching(/^CdnResponseHeaders[0-9A-F]{8}$/)]);
    expect(Object.keys(template.findResources('AWS::WAFv2::WebACL'))).toEqual([expect.stringMatching(/^CdnWebAcl[0-9A-F]{8}$/)]);
  });
});

describe('SecureDistribution zero findings', () => {
  test.each([SecurityProfile.BASELINE, SecurityProfile.REGULATED])('in a us-east-1 stack, with every origin kind and an edge function, under %s', (profile) => {
    const app = newApp();
    Compliance.of(app).enforce({ profile });
    const stack = new Stack(app, 'Edge', { env: US_EAST_1 });
    const regulated = profile === SecurityProfile.REGULATED;
    const replication = regulated ? BucketReplication.to(REPLICA_BUCKET_ARN, { destinationKeyArn: REPLICA_KEY_ARN }) : undefined;
    if (regulated) {
      SecureBucket.configureAccessLogs(stack, { replication });
    }
    const vpc = regulated ? compliantVpc(stack) : undefined;
    const fn = (id: string) => new SecureFunction(stack, id, { code: CODE, handler: 'index.handler', vpc, reservedConcurrentExecutions: vpc ? 2 : undefined });
    const api = new SecureApi(stack, 'Api');
    api.addRoute(HttpMethod.GET, '/api/orders', fn('Orders'));
    // A Lambda@Edge function bundled from an entry, on the origin requests of the default behaviour, with their bodies.
    const router = new SecureEdgeFunction(stack, 'Router', {
      entry: HANDLER_ENTRY,
      eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST,
      includeBody: true,
      reservedConcurrentExecutions: regulated ? 5 : undefined,
    });
    const cdn = new SecureDistribution(stack, 'Cdn', {
      defaultOrigin: EdgeOrigin.bucket(new SecureBucket(stack, 'Site', { replication })),
      edgeFunctions: [router],
    });
    cdn.addBehavior('/api/*', EdgeOrigin.api(api));
    cdn.addBehavior('/fn/*', EdgeOrigin.functionUrl(fn('Report')));
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    // The edge function's acknowledgements are all AWS-forced: what the edge cannot run, and its logs in every region.
    const routerAcks = result.acknowledged.filter((a) => a.acknowledgedAt.startsWith('Edge/Router'))
      .map((a) => `${a.rule.replace(/Edge-Router-[0-9A-F]{8}-\{.*?"AWS::StackId"\}\]\}\]\}\]\}\]\}/, 'Edge-Router-<name>')} ${a.reason.startsWith('cdk-aegis (AWS-forced)')}`);
    expect(routerAcks.sort()).toEqual([
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:/aws/lambda/us-east-1.Edge-Router-<name>:*] true',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:/aws/lambda/us-east-1.Edge-Router-<name>] true',
      'Serverless-LambdaDLQ true',
      'Serverless-LambdaTracing true',
      ...(regulated ? [
        'HIPAA.Security-LambdaDLQ true', 'HIPAA.Security-LambdaInsideVPC true',
        'NIST.800.53.R5-LambdaDLQ true', 'NIST.800.53.R5-LambdaInsideVPC true', 'PCI.DSS.321-LambdaInsideVPC true',
      ] : []),
    ].sort());
    expect(distributionConfig(Template.fromStack(stack)).DefaultCacheBehavior.LambdaFunctionAssociations)
      .toEqual([{ EventType: 'origin-request', IncludeBody: true, LambdaFunctionARN: { Ref: expect.stringMatching(/^RouterFunctionCurrentVersion/) } }]);
    // What cdk-aegis acknowledges here by itself: the viewer TLS AWS fixes, and the origin secret's rotation (an opt-out it records).
    const edgeAcks = result.acknowledged.filter((a) => /Cdn|OriginVerify/.test(a.acknowledgedAt)).map((a) => `${a.rule} @ ${a.acknowledgedAt}`);
    expect(edgeAcks.sort()).toEqual([
      'AwsSolutions-CFR4 @ Edge/Cdn/Resource',
      'AwsSolutions-SMG4 @ Edge/Api/OriginVerifySecret',
      ...(regulated ? ['HIPAA.Security-SecretsManagerRotationEnabled @ Edge/Api/OriginVerifySecret', 'NIST.800.53.R5-SecretsManagerRotationEnabled @ Edge/Api/OriginVerifySecret'] : []),
    ].sort());
  });

  test('a distribution in eu-west-1 takes the web ACL of a us-east-1 stack through a cross-region reference, with zero findings', () => {
    const app = newApp();
    Compliance.of(app).enforce();
    const edge = new Stack(app, 'EdgeWaf', { env: US_EAST_1, crossRegionReferences: true });
    const waf = new SecureWebAcl(edge, 'Waf', { scope: WebAclScope.CLOUDFRONT });
    const stack = new Stack(app, 'Site', { env: EU_WEST_1, crossRegionReferences: true });
    const cdn = new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(new SecureBucket(stack, 'Site')), webAclArn: waf.webAclArn });
    expect(cdn.webAcl).toBeUndefined();
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    const config = distributionConfig(Template.fromStack(stack));
    expect(JSON.stringify(config.WebACLId)).toMatch(/ExportsReader.*\/cdk\/exports\/Site\/EdgeWaf/);
    // Alarms cannot watch us-east-1's metrics from eu-west-1: none, and the construct says why.
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/CloudFront' }, 0);
    // No paid additional metrics where no alarm reads them.
    Template.fromStack(stack).resourceCountIs('AWS::CloudFront::MonitoringSubscription', 0);
    Annotations.fromStack(stack).hasInfo('/Site/Cdn', Match.stringLikeRegexp('alarms exist when its stack\'s env names us-east-1'));
    // The threat model follows the cross-region reference to the web ACL.
    const model = buildThreatModel(assemblyStacks(app.outdir), app.outdir);
    const exploits = model.threats.find((t) => t.spec.key === 'web-exploits' && t.targetName.startsWith('Cdn'))!;
    expect(exploits.mitigations[0].evidence.text).toMatch(/^web ACL Waf: AWSManagedRules/);
  });
});

describe('SecureDistribution where the stack is', () => {
  test('env-agnostic: the web ACL is created with a template rule that refuses regions other than us-east-1; no alarms', () => {
    const { stack } = distribution({}, {});
    const template = Template.fromStack(stack);
    const rules = template.toJSON().Rules;
    const rule = Object.entries<any>(rules).find(([id]) => id.startsWith('CdnWebAclInCloudFrontRegion'))![1];
    expect(rule.Assertions).toEqual([{
      Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
      AssertDescription: expect.stringContaining('`webAclArn`'),
    }]);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/CloudFront' }, 0);
    Annotations.fromStack(stack).hasInfo('/TestStack/Cdn', Match.stringLikeRegexp('env-agnostic'));
  });

  test('fails in a region whose buckets CloudFront delivers no standard logs to', () => {
    expect(() => distribution({ webAclArn: WEB_ACL_ARN }, { env: { account: '123456789012', region: 'eu-south-1' } }))
      .toThrow(/the stack is in eu-south-1, an opt-in region, and CloudFront's standard logging delivers no logs to buckets there/);
  });

  test('fails when the stack is in another region and no `webAclArn` is given, naming the prop', () => {
    expect(() => distribution({}, { env: EU_WEST_1 })).toThrow(/stack is in eu-west-1, but CloudFront web ACLs live in us-east-1: pass `webAclArn`/);
  });

  test('a given `webAclArn` is attached and no web ACL is created', () => {
    const { stack, cdn } = distribution({ webAclArn: WEB_ACL_ARN }, { env: EU_WEST_1 });
    const template = Template.fromStack(stack);
    expect(distributionConfig(template).WebACLId).toBe(WEB_ACL_ARN);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(cdn.webAclArn).toBe(WEB_ACL_ARN);
  });

  test('fails when `webAclArn` is not a CLOUDFRONT-scope web ACL ARN', () => {
    expect(() => distribution({ webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc' }))
      .toThrow(/`webAclArn` must be the ARN of a CLOUDFRONT-scope web ACL .*got: "arn:aws:wafv2:eu-west-1/);
  });

  test('fails when `webAcl` is REGIONAL, or both `webAcl` and `webAclArn` are given', () => {
    const { stack } = stackIn();
    const regional = new SecureWebAcl(stack, 'Regional');
    const site = new SecureBucket(stack, 'Site');
    expect(() => new SecureDistribution(stack, 'A', { defaultOrigin: EdgeOrigin.bucket(site), webAcl: regional }))
      .toThrow(/`webAcl` TestStack\/Regional has scope REGIONAL/);
    const edge = new SecureWebAcl(stack, 'Edge', { scope: WebAclScope.CLOUDFRONT });
    expect(() => new SecureDistribution(stack, 'B', { defaultOrigin: EdgeOrigin.bucket(site), webAcl: edge, webAclArn: WEB_ACL_ARN }))
      .toThrow(/`webAcl` and `webAclArn` both name/);
    const shared = new SecureDistribution(stack, 'C', { defaultOrigin: EdgeOrigin.bucket(site), webAcl: edge });
    expect(shared.webAclArn).toBe(edge.webAclArn);
  });
});

describe('SecureDistribution custom domain', () => {
  test('with a us-east-1 certificate viewers need TLSv1.2_2021 over SNI, and CFR4 is not acknowledged', () => {
    const { stack } = stackIn();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', US_CERT);
    const cdn = new SecureDistribution(stack, 'Cdn', {
      defaultOrigin: EdgeOrigin.bucket(new SecureBucket(stack, 'Site')), domainNames: ['www.example.com'], certificate,
    });
    const config = distributionConfig(Template.fromStack(stack));
    expect(config.Aliases).toEqual(['www.example.com']);
    expect(config.ViewerCertificate).toEqual({ AcmCertificateArn: US_CERT, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(JSON.stringify(cdn.distribution.node.metadata)).not.toContain('CFR4');
  });

  test('fails when the certificate is not in us-east-1', () => {
    const { stack } = stackIn();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', US_CERT.replace('us-east-1', 'eu-west-1'));
    expect(() => new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(new SecureBucket(stack, 'Site')), domainNames: ['a.example.com'], certificate }))
      .toThrow(/`certificate` is in eu-west-1; CloudFront takes viewer certificates from us-east-1 only/);
  });

  test('fails when `domainNames` come without `certificate`, or `certificate` without `domainNames`', () => {
    expect(() => distribution({ domainNames: ['www.example.com'] })).toThrow(/`domainNames` needs `certificate`/);
    const { stack } = stackIn();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', US_CERT);
    expect(() => new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(new SecureBucket(stack, 'Site')), certificate }))
      .toThrow(/`certificate` needs `domainNames`/);
  });
});

describe('SecureDistribution API origins', () => {
  let template: Template;
  let config: any;
  let api: SecureApi;
  beforeAll(() => {
    const { stack } = stackIn();
    api = new SecureApi(stack, 'Api');
    api.addRoute(HttpMethod.GET, '/api/orders', new SecureFunction(stack, 'Orders', { code: CODE, handler: 'index.handler' }));
    const site = new SecureBucket(stack, 'Site');
    new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(site) }).addBehavior('/api/*', EdgeOrigin.api(api));
    // A second distribution in front of the same API shares its secret and its rule.
    new SecureDistribution(stack, 'Cdn2', { defaultOrigin: EdgeOrigin.api(api) });
    template = Template.fromStack(stack);
    config = distributionConfig(template);
  });

  test('CloudFront sends the generated secret in x-origin-verify through a dynamic reference, over HTTPS and TLS 1.2 only', () => {
    const [secretId] = Object.keys(template.findResources('AWS::SecretsManager::Secret', { Properties: { Description: Match.stringLikeRegexp('x-origin-verify') } }));
    const apiOrigin = config.Origins.find((o: any) => o.CustomOriginConfig !== undefined);
    expect(apiOrigin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(apiOrigin.OriginCustomHeaders).toEqual([{
      HeaderName: EdgeOrigin.ORIGIN_VERIFY_HEADER,
      HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] },
    }]);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true } });
  });

  test('the /api/* behaviour forwards every method and viewer header but Host, and caches nothing', () => {
    const behaviour = config.CacheBehaviors.find((b: any) => b.PathPattern === '/api/*');
    expect(behaviour).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
    });
  });

  test('the first rule of the API\'s own web ACL blocks every request without the secret, once; the header is kept out of its logs', () => {
    const regional = Object.values<any>(template.findResources('AWS::WAFv2::WebACL')).find((w) => w.Properties.Scope === 'REGIONAL');
    const rules = JSON.parse(JSON.stringify(regional.Properties.Rules));
    expect(rules.map((r: any) => r.Priority)).toEqual(rules.map((_: unknown, i: number) => i));
    expect(rules.filter((r: any) => r.Name.startsWith('CloudFrontOnly-'))).toEqual([{
      Name: expect.stringMatching(/^CloudFrontOnly-[0-9A-F]+$/),
      Priority: 0,
      Action: { Block: {} },
      Statement: {
        NotStatement: {
          Statement: {
            ByteMatchStatement: {
              FieldToMatch: { SingleHeader: { Name: 'x-origin-verify' } },
              PositionalConstraint: 'EXACTLY',
              SearchString: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: expect.stringMatching(/^ApiOriginVerifySecret/) }, ':SecretString:::}}']] },
              TextTransformations: [{ Priority: 0, Type: 'NONE' }],
            },
          },
        },
      },
      VisibilityConfig: expect.anything(),
    }]);
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'x-origin-verify' } }]),
    });
  });

  test('behind CloudFront the API\'s own rate rule counts forwarded viewer addresses, as a backstop at 10 times its limit', () => {
    const regional = Object.values<any>(template.findResources('AWS::WAFv2::WebACL')).find((w) => w.Properties.Scope === 'REGIONAL');
    const rate = regional.Properties.Rules.find((r: any) => r.Name === 'RateLimitPerIp');
    expect(rate.Statement.RateBasedStatement).toMatchObject({
      AggregateKeyType: 'FORWARDED_IP', ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' }, Limit: 10 * SecureWebAcl.DEFAULT_RATE_LIMIT,
    });
    // The distribution's own web ACL counts real addresses at the default limit.
    const edge = Object.values<any>(template.findResources('AWS::WAFv2::WebACL')).find((w) => w.Properties.Scope === 'CLOUDFRONT');
    expect(edge.Properties.Rules.find((r: any) => r.Name === 'RateLimitPerIp').Statement.RateBasedStatement).toMatchObject({
      AggregateKeyType: 'IP', Limit: SecureWebAcl.DEFAULT_RATE_LIMIT,
    });
  });

  test.each([['in the same stack', false], ['in another stack', true]])('fails when the API shares its web ACL (%s)', (_where, otherStack) => {
    const app = new App();
    const stack = new Stack(app, 'Service', { env: US_EAST_1 });
    const shared = new SecureWebAcl(otherStack ? new Stack(app, 'Security', { env: US_EAST_1 }) : stack, 'Shared');
    const sharedApi = new SecureApi(stack, 'Api', { webAcl: shared });
    sharedApi.addRoute(HttpMethod.GET, '/api/x', new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' }));
    expect(() => new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.api(sharedApi) }))
      .toThrow(/`EdgeOrigin.api`: Service\/Api shares web ACL .*Shared\. .*Give the API its own web ACL \(the default: omit `webAcl`\)/);
  });

  test('the secret is not rotated, and the record on it says why', () => {
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    const optOuts = api.node.findChild('OriginVerifySecret').node.metadata.filter((m) => m.type === 'cdk-aegis:opt-out').map((m) => m.data);
    expect(optOuts).toEqual([expect.objectContaining({ control: 'rotation', reason: expect.stringContaining('a rotation without a redeploy would cut the API off') })]);
  });

  test('fails when the API has `existingWebAclArn` (no SecureWebAcl to add the check to)', () => {
    const { stack } = stackIn();
    const imported = new SecureApi(stack, 'Api', { existingWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/platform/abc' });
    imported.addRoute(HttpMethod.GET, '/x', new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' }));
    expect(() => new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.api(imported) }))
      .toThrow(/`EdgeOrigin.api`: API TestStack\/Api is protected by `existingWebAclArn`/);
  });
});

describe('SecureDistribution function URL origins', () => {
  test('the function gets an IAM-auth URL that only this distribution may invoke, signed by origin access control', () => {
    const { stack } = stackIn();
    const fn = new SecureFunction(stack, 'Report', { code: CODE, handler: 'index.handler' });
    new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(new SecureBucket(stack, 'Site')) }).addBehavior('/report/*', EdgeOrigin.functionUrl(fn));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: { OriginAccessControlOriginType: 'lambda' } });
    const [distributionId] = Object.keys(template.findResources('AWS::CloudFront::Distribution'));
    for (const action of ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction']) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: action,
        Principal: 'cloudfront.amazonaws.com',
        SourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: distributionId }])] },
      });
    }
    const behaviour = distributionConfig(template).CacheBehaviors[0];
    expect(behaviour).toMatchObject({ PathPattern: '/report/*', ViewerProtocolPolicy: 'redirect-to-https' });
  });
});

describe('SecureDistribution options', () => {
  test('an allow list, a price class, a CSP of its own and a root object of its own', () => {
    const { stack } = distribution({
      geoRestriction: EdgeGeoRestriction.allow(['DE', 'FR']),
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      contentSecurityPolicy: "default-src 'self' https://cdn.example.com",
      defaultRootObject: 'home.html',
    });
    const template = Template.fromStack(stack);
    expect(distributionConfig(template)).toMatchObject({
      Restrictions: { GeoRestriction: { RestrictionType: 'whitelist', Locations: ['DE', 'FR'] } },
      PriceClass: 'PriceClass_100',
      DefaultRootObject: 'home.html',
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: { SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: "default-src 'self' https://cdn.example.com" } } },
    });
  });

  test('a deny list of its own', () => {
    const { stack } = distribution({ geoRestriction: EdgeGeoRestriction.deny(['RU']) });
    expect(distributionConfig(Template.fromStack(stack)).Restrictions).toEqual({ GeoRestriction: { RestrictionType: 'blacklist', Locations: ['RU'] } });
  });

  test('serving every country takes a reason, recorded with AwsSolutions-CFR1 acknowledged', () => {
    const app = newApp();
    Compliance.of(app).enforce();
    const stack = new Stack(app, 'Edge', { env: US_EAST_1 });
    new SecureDistribution(stack, 'Cdn', {
      defaultOrigin: EdgeOrigin.bucket(new SecureBucket(stack, 'Site')),
      geoRestriction: EdgeGeoRestriction.none({ reason: 'a public documentation site for every country' }),
    });
    expect(distributionConfig(Template.fromStack(stack)).Restrictions).toBeUndefined();
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.acknowledged.filter((a) => a.rule === 'AwsSolutions-CFR1').map((a) => a.reason)).toEqual([
      expect.stringContaining('geoRestriction off: a public documentation site for every country'),
    ]);
  });

  test('alarms off with reasons: none created, and no additional metrics (no fee) without the latency alarm', () => {
    const { stack } = distribution({
      errorRateAlarm: AlarmSetting.off({ reason: 'watched by the platform team' }),
      originLatencyAlarm: AlarmSetting.off({ reason: 'static site only, no dynamic origin' }),
    });
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/CloudFront' }, 0);
    template.resourceCountIs('AWS::CloudFront::MonitoringSubscription', 0);
  });

  test('an alarm with its own threshold', () => {
    const { stack } = distribution({ errorRateAlarm: AlarmSetting.on({ threshold: 1, period: Duration.minutes(5) }) });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xxErrorRate', Threshold: 1, Period: 300 });
  });
});

describe('SecureDistribution refuses bad input with clear errors', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['an empty allow list', () => distribution({ geoRestriction: EdgeGeoRestriction.allow([]) }), /`geoRestriction` needs at least one country, got: \[\]/],
    ['a country name instead of a code', () => distribution({ geoRestriction: EdgeGeoRestriction.deny(['Germany']) }), /ISO 3166-1 alpha-2 codes .*got: "Germany"/],
    ['a short reason to serve every country', () => distribution({ geoRestriction: EdgeGeoRestriction.none({ reason: 'no' }) }), /`geoRestriction`.*reason/],
    ['an empty content security policy', () => distribution({ contentSecurityPolicy: ' ' }), /`contentSecurityPolicy` must be a policy of 1 to 1783 characters/],
    ['an alarm threshold out of range', () => distribution({ errorRateAlarm: AlarmSetting.on({ threshold: 101 }) }), /`errorRateAlarm` threshold .* between 0 and 100, got: 101/],
  ])('fails on %s', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('fails on wrong types from untyped callers (Python, Java, JavaScript)', () => {
    const { stack } = stackIn();
    const site = new SecureBucket(stack, 'Site');
    const untyped = (props: unknown) => () => new SecureDistribution(stack, `D${Math.random()}`.replace('.', ''), props as SecureDistributionProps);
    expect(untyped(undefined)).toThrow(/props/);
    expect(untyped({})).toThrow(/`defaultOrigin` is required: pass an EdgeOrigin, e.g. `EdgeOrigin.bucket\(site\)`, got: undefined/);
    expect(untyped({ defaultOrigin: site })).toThrow(/`defaultOrigin` must be an EdgeOrigin/);
    class OwnOrigin extends (EdgeOrigin as any) {}
    expect(untyped({ defaultOrigin: new OwnOrigin() })).toThrow(/`defaultOrigin` must come from `EdgeOrigin.bucket`, `.api`, `.httpApi` or `.functionUrl`/);
    expect(untyped({ defaultOrigin: EdgeOrigin.bucket(site), geoRestriction: ['DE'] })).toThrow(/`geoRestriction` must be `EdgeGeoRestriction.allow/);
    expect(untyped({ defaultOrigin: EdgeOrigin.bucket(site), priceClass: 'cheap' })).toThrow(/`priceClass` must be a member of `cloudfront.PriceClass`/);
    expect(untyped({ defaultOrigin: EdgeOrigin.bucket(site), domainNames: 'www.example.com' })).toThrow(/`domainNames`/);
    expect(untyped({ defaultOrigin: EdgeOrigin.bucket(site), certificate: 'arn:aws:acm:us-east-1:1:certificate/x' })).toThrow(/`certificate` must be an acm.ICertificate/);
  });

  test('addBehavior fails on the default pattern, a repeated pattern or an origin that is not an EdgeOrigin', () => {
    const { stack, site, cdn } = distribution();
    cdn.addBehavior('/static/*', EdgeOrigin.bucket(site));
    expect(() => cdn.addBehavior('*', EdgeOrigin.bucket(site))).toThrow(/`pathPattern` must be a CloudFront path pattern other than the default `\*`/);
    expect(() => cdn.addBehavior('/static/*', EdgeOrigin.bucket(site))).toThrow(/`pathPattern` \/static\/\* already has a behaviour/);
    expect(() => cdn.addBehavior('/x/*', site as unknown as EdgeOrigin)).toThrow(/`origin` must be an EdgeOrigin/);
    expect(stack.resolve(cdn.distributionId)).toEqual({ Ref: expect.stringMatching(/^Cdn/) });
  });
});

/** An HTTP API whose default stage logs and throttles (the API's own settings, which the packs check). */
function compliantHttpApi(stack: Stack, id: string): apigwv2.HttpApi {
  const api = new apigwv2.HttpApi(stack, id);
  const stage = api.defaultStage!.node.defaultChild as apigwv2.CfnStage;
  const accessLogs = new logs.LogGroup(stack, `${id}AccessLogs`, { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: StackKey.of(stack) });
  stage.accessLogSettings = { destinationArn: accessLogs.logGroupArn, format: JSON.stringify({ requestId: '$context.requestId', status: '$context.status' }) };
  stage.defaultRouteSettings = { throttlingBurstLimit: 100, throttlingRateLimit: 50 };
  return api;
}

describe('SecureDistribution HTTP API origins', () => {
  let app: App;
  let template: Template;
  let config: any;
  beforeAll(() => {
    app = newApp();
    Compliance.of(app).enforce();
    const stack = new Stack(app, 'Edge', { env: US_EAST_1 });
    const fn = new SecureFunction(stack, 'Items', { code: CODE, handler: 'index.handler' });
    const api = compliantHttpApi(stack, 'Http');
    api.addRoutes({ path: '/v2/items', methods: [apigwv2.HttpMethod.GET], integration: new integrations.HttpLambdaIntegration('Items', fn) });
    const cdn = new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(new SecureBucket(stack, 'Site')) });
    cdn.addBehavior('/v2/*', EdgeOrigin.httpApi(api));
    // A route added after the behaviour is checked too.
    api.addRoutes({ path: '/v2/orders', methods: [apigwv2.HttpMethod.POST], integration: new integrations.HttpLambdaIntegration('Orders', fn) });
    // And one created outside the API's construct tree.
    new apigwv2.HttpRoute(stack, 'Outside', {
      httpApi: api, routeKey: apigwv2.HttpRouteKey.with('/v2/outside', apigwv2.HttpMethod.GET), integration: new integrations.HttpLambdaIntegration('Outside', fn),
    });
    template = Template.fromStack(stack);
    config = distributionConfig(template);
  });

  test('zero findings, and the threat model sees the API reachable only through the distribution', () => {
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    const model = buildThreatModel(assemblyStacks(app.outdir), app.outdir);
    const bypass = model.threats.find((t) => t.spec.key === 'origin-bypass' && t.targetName.startsWith('Cdn → Http'))!;
    expect(bypass.mitigations[0].evidence).toEqual({
      resolved: true,
      text: 'every route\'s authorizer takes the `x-origin-verify` header CloudFront sends as its identity source, and its function the secret behind it',
    });
  });

  test('every route, also one added later or outside the API\'s tree, is held by a Lambda authorizer whose identity source is the origin header', () => {
    const [authorizerId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST', IdentitySource: ['$request.header.x-origin-verify'], EnableSimpleResponses: true, AuthorizerPayloadFormatVersion: '2.0', AuthorizerResultTtlInSeconds: 300,
    });
    const routes = Object.values<any>(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    expect(routes.map((r) => [r.RouteKey, r.AuthorizationType, r.AuthorizerId])).toEqual([
      ['GET /v2/items', 'CUSTOM', { Ref: authorizerId }],
      ['POST /v2/orders', 'CUSTOM', { Ref: authorizerId }],
      ['GET /v2/outside', 'CUSTOM', { Ref: authorizerId }],
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::Join': ['', Match.arrayWith(['/authorizers/', { Ref: authorizerId }])] },
    });
  });

  test('CloudFront sends the secret over HTTPS and TLS 1.2 only, and the authorizer function reads it by ARN', () => {
    const origin = config.Origins.find((o: any) => JSON.stringify(o.DomainName).includes('ApiEndpoint'));
    expect(origin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    const [secretId] = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    expect(origin.OriginCustomHeaders).toEqual([{ HeaderName: 'x-origin-verify', HeaderValue: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] } }]);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ ORIGIN_VERIFY_SECRET_ARN: { Ref: secretId } }) } });
  });

  test('the authorizer lets in exactly the requests that carry the secret', async () => {
    const fn = Object.values<any>(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.ORIGIN_VERIFY_SECRET_ARN);
    const source: string = fn.Properties.Code.ZipFile;
    const asked: unknown[] = [];
    const fakeSdk = {
      SecretsManagerClient: class { public async send(command: any) { asked.push(command.input); return { SecretString: 's3cr3t' }; } },
      GetSecretValueCommand: class { constructor(public readonly input: unknown) {} },
    };
    const module = { exports: {} as any };
    const env = { ORIGIN_VERIFY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:origin' };
    new Function('require', 'module', 'exports', 'process', source)(
      (name: string) => (name === 'crypto' ? crypto : fakeSdk), module, module.exports, { env });
    const handler = module.exports.handler;
    await expect(handler({ headers: { 'x-origin-verify': 's3cr3t' } })).resolves.toEqual({ isAuthorized: true });
    await expect(handler({ headers: { 'x-origin-verify': 's3cr3T' } })).resolves.toEqual({ isAuthorized: false });
    await expect(handler({ headers: {} })).resolves.toEqual({ isAuthorized: false });
    await expect(handler({})).resolves.toEqual({ isAuthorized: false });
    // The secret is read once per execution environment.
    expect(asked).toEqual([{ SecretId: env.ORIGIN_VERIFY_SECRET_ARN }]);
  });

  test('fails at synth when a route keeps an authorizer of its own, naming the route', () => {
    const stack = new Stack(newApp(), 'Edge', { env: US_EAST_1 });
    const fn = new SecureFunction(stack, 'Items', { code: CODE, handler: 'index.handler' });
    const api = compliantHttpApi(stack, 'Http');
    api.addRoutes({
      path: '/v2/me',
      methods: [apigwv2.HttpMethod.GET],
      integration: new integrations.HttpLambdaIntegration('Me', fn),
      authorizer: new authorizers.HttpJwtAuthorizer('Jwt', 'https://issuer.example.com', { jwtAudience: ['app'] }),
    });
    new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.httpApi(api) });
    Annotations.fromStack(stack).hasError('/Edge/Http/GET--v2--me/Resource', Match.stringLikeRegexp('route GET /v2/me of Edge/Http has authorization JWT'));
  });
});

describe('SecureDistribution and property injectors', () => {
  test('fails when an injector for cloudfront.Distribution drops the web ACL, naming the prop', () => {
    const app = new App();
    PropertyInjectors.of(app).add({
      constructUniqueId: cloudfront.Distribution.PROPERTY_INJECTION_ID,
      inject: (props: any) => ({ ...props, webAclId: undefined }),
    });
    const stack = new Stack(app, 'Edge', { env: US_EAST_1 });
    expect(() => new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(new SecureBucket(stack, 'Site')) }))
      .toThrow(/a property injector for cloudfront.Distribution changed `webAclId` .* which would weaken this SecureDistribution/);
  });

  test('an injector may set what SecureDistribution does not secure (a comment)', () => {
    const app = new App();
    PropertyInjectors.of(app).add({
      constructUniqueId: cloudfront.Distribution.PROPERTY_INJECTION_ID,
      inject: (props: any) => ({ ...props, comment: 'owned by the web team' }),
    });
    const stack = new Stack(app, 'Edge', { env: US_EAST_1 });
    new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(new SecureBucket(stack, 'Site')) });
    expect(distributionConfig(Template.fromStack(stack)).Comment).toBe('owned by the web team');
  });
});
