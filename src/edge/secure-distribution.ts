import { Annotations, Aws, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { BoundEdgeOrigin, EdgeOrigin } from './edge-origin';
import { EdgeGeoRestriction } from './geo-restriction';
import { SecureWebAcl, WebAclScope } from '../api/secure-web-acl';
import { ProblemCollector, received } from '../core/errors';
import { acknowledge, AcknowledgementCause, recordOptOut } from '../core/justification';
import { RULES } from '../core/nag-rule-ids';
import { guardedProps, SecuredProp } from '../core/private/construction';
import {
  requireEnumValue, requireInstanceOf, requireInterface, requireOptionalArray, requireOptionalNonEmptyString, requireOptionalString,
  requireOptionalStringArray, requireProps, requireStruct,
} from '../core/private/input-checks';
import { shortHash } from '../core/private/short-hash';
import { cloudFrontLogsBucket } from '../data/access-logs-bucket';
import { SecureEdgeFunction } from '../function/secure-edge-function';
import { AlarmConfig, AlarmSetting, checkAlarmSettings, ConstructAlarm } from '../monitoring/alarm-setting';
import { applyAlarms, describeWindow, Monitoring } from '../monitoring/monitoring';

/** The region of CloudFront's web ACLs, certificates and metrics. */
const CLOUDFRONT_REGION = 'us-east-1';
/** HSTS max-age: two years, the preload list's minimum is one. */
const HSTS_MAX_AGE = Duration.days(730);
/** A strict content security policy: same-origin resources only, no plugins, no framing, HTTPS only. */
const DEFAULT_CONTENT_SECURITY_POLICY =
  "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; upgrade-insecure-requests";
const DEFAULT_ROOT_OBJECT = 'index.html';
/**
 * Regions whose buckets CloudFront's standard logging (legacy) does not
 * deliver to: the opt-in regions (AWS's runbook names af-south-1, ap-east-1,
 * eu-south-1 and me-south-1; CloudFront's guide offers delivery to opt-in
 * regions as a feature of logging v2 only).
 */
const NO_STANDARD_LOG_REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
  'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1',
];

/** Options of {@link SecureDistribution.addBehavior}. */
export interface SecureBehaviorOptions {
  /**
   * Lambda@Edge functions on this behaviour's events, at most one per event type.
   *
   * @default - none
   */
  readonly edgeFunctions?: SecureEdgeFunction[];
}

const DISTRIBUTION_BASE = { name: 'cloudfront.Distribution', injectionId: cloudfront.Distribution.PROPERTY_INJECTION_ID };
/** What a property injector may not change on the distribution. */
const SECURED_DISTRIBUTION_PROPS: { [prop: string]: SecuredProp } = {
  webAclId: { instead: 'pass `webAcl` or `webAclArn` to the SecureDistribution' },
  defaultBehavior: { instead: 'the default behaviour redirects to HTTPS and carries the security headers; use `defaultOrigin`' },
  minimumProtocolVersion: { instead: 'SecureDistribution requires TLSv1.2_2021 with a certificate' },
  sslSupportMethod: { instead: 'SecureDistribution serves its certificate over SNI' },
  enableLogging: { instead: 'SecureDistribution writes standard logs to the stack\'s log bucket' },
  logBucket: { instead: 'SecureDistribution writes standard logs to the stack\'s log bucket' },
  logIncludesCookies: { instead: 'SecureDistribution keeps cookies out of its logs' },
  geoRestriction: { instead: 'set `geoRestriction` on the SecureDistribution' },
  httpVersion: { instead: 'SecureDistribution serves HTTP/2 and HTTP/3' },
};

/** Props of {@link SecureDistribution}. */
export interface SecureDistributionProps {
  /** The origin of every path no behaviour added with `addBehavior` matches. */
  readonly defaultOrigin: EdgeOrigin;

  /**
   * Lambda@Edge functions on the default behaviour's events, at most one per event type.
   *
   * @default - none
   */
  readonly edgeFunctions?: SecureEdgeFunction[];

  /**
   * Alternate domain names (CNAMEs), e.g. `['www.example.com']`. Requires `certificate`.
   *
   * @default - the distribution's `*.cloudfront.net` name only
   */
  readonly domainNames?: string[];

  /**
   * An ACM certificate for `domainNames`, **in us-east-1**. With it viewers
   * need TLS 1.2 or newer (`TLSv1.2_2021`, SNI). Without it CloudFront serves
   * its `*.cloudfront.net` certificate and fixes the viewer policy at TLSv1
   * itself (AwsSolutions-CFR4 acknowledged as AWS-forced).
   *
   * @default - the `*.cloudfront.net` certificate
   */
  readonly certificate?: acm.ICertificate;

  /**
   * A `SecureWebAcl` with scope CLOUDFRONT (in a us-east-1 stack) to attach.
   *
   * @default - a new CLOUDFRONT-scope `SecureWebAcl` when the stack is in us-east-1 (or env-agnostic, then a template rule refuses other regions)
   */
  readonly webAcl?: SecureWebAcl;

  /**
   * The ARN of a CLOUDFRONT-scope web ACL in us-east-1, e.g. from a small
   * us-east-1 stack (see the README). **Required when the stack is in another region.**
   *
   * @default - see `webAcl`
   */
  readonly webAclArn?: string;

  /**
   * Which countries are served.
   *
   * @default EdgeGeoRestriction.denyEmbargoed() - every country but Cuba, Iran, North Korea and Syria
   */
  readonly geoRestriction?: EdgeGeoRestriction;

  /**
   * The `Content-Security-Policy` header of every response.
   *
   * @default "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; upgrade-insecure-requests"
   */
  readonly contentSecurityPolicy?: string;

  /**
   * Which edge locations serve the distribution (and what it costs).
   *
   * @default cloudfront.PriceClass.PRICE_CLASS_ALL
   */
  readonly priceClass?: cloudfront.PriceClass;

  /**
   * The object returned for `/`.
   *
   * @default 'index.html' when the default origin is a bucket, else none
   */
  readonly defaultRootObject?: string;

  /**
   * A comment on the distribution.
   *
   * @default - the construct path
   */
  readonly comment?: string;

  /**
   * Alarm on the share of requests answered 5xx (`5xxErrorRate`, average, %).
   * CloudFront's metrics are in us-east-1: the alarm exists when the stack's env names us-east-1.
   *
   * @default - on: above 5% in 3 of 5 one-minute periods
   */
  readonly errorRateAlarm?: AlarmSetting;

  /**
   * Alarm on the time origins take to answer (`OriginLatency`, p90, ms). It
   * turns on CloudFront's additional metrics for the distribution (a monthly
   * CloudWatch fee per distribution). Only in us-east-1 stacks, as `errorRateAlarm`.
   *
   * @default - on: p90 above 3000 ms in 3 of 5 one-minute periods
   */
  readonly originLatencyAlarm?: AlarmSetting;
}

/**
 * A CloudFront distribution with a CLOUDFRONT-scope WAF, HTTPS only
 * (HTTP/2 and 3, IPv6), security response headers, private origins
 * (`EdgeOrigin`), geo restriction, standard logging to the stack's
 * encrypted log bucket and alarms on errors and origin latency.
 *
 * @example
 * const cdn = new SecureDistribution(this, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(site) });
 * cdn.addBehavior('/api/*', EdgeOrigin.api(api));
 */
export class SecureDistribution extends Construct {
  /** The `Content-Security-Policy` sent by default. */
  public static readonly DEFAULT_CONTENT_SECURITY_POLICY: string = DEFAULT_CONTENT_SECURITY_POLICY;

  /** The HSTS `max-age` sent (two years, with `includeSubDomains` and `preload`). */
  public static readonly HSTS_MAX_AGE: Duration = HSTS_MAX_AGE;

  /** The region CloudFront keeps web ACLs, viewer certificates and metrics in. */
  public static readonly CLOUDFRONT_REGION: string = CLOUDFRONT_REGION;

  /** The distribution. */
  public readonly distribution: cloudfront.Distribution;
  /** The distribution's id. */
  public readonly distributionId: string;
  /** The distribution's `*.cloudfront.net` domain name. */
  public readonly distributionDomainName: string;
  /** The ARN of the web ACL attached. */
  public readonly webAclArn: string;
  /** The web ACL attached, when cdk-aegis created it or it was given as `webAcl`. */
  public readonly webAcl?: SecureWebAcl;
  /** The response headers policy every behaviour uses. */
  public readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** The 5xx error-rate alarm, when on and the stack is in us-east-1. */
  public readonly errorRateAlarm?: cloudwatch.IAlarm;
  /** The origin-latency alarm, when on and the stack is in us-east-1. */
  public readonly originLatencyAlarm?: cloudwatch.IAlarm;

  private readonly pathPatterns = new Set<string>();

  constructor(scope: Construct, id: string, props: SecureDistributionProps) {
    super(scope, id);
    checkInputTypes(this, props);
    const alarms = checkProps(this, props);
    const region = Stack.of(this).region;

    this.webAcl = props.webAcl ?? (props.webAclArn === undefined ? new SecureWebAcl(this, 'WebAcl', { scope: WebAclScope.CLOUDFRONT }) : undefined);
    this.webAclArn = props.webAclArn ?? this.webAcl!.webAclArn;

    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'ResponseHeaders', {
      // Response headers policies are global: the region keeps two deployments of one stack apart.
      responseHeadersPolicyName: `${Names.uniqueResourceName(this, { maxLength: 100, separator: '-' })}-${Aws.REGION}`,
      comment: `cdk-aegis security headers of ${this.node.path}`.slice(0, 128),
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: props.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY, override: true },
      },
      removeHeaders: ['Server'],
    });

    const geo = props.geoRestriction ?? EdgeGeoRestriction.denyEmbargoed();
    if (geo.justification !== undefined) {
      recordOptOut(this, 'geoRestriction', geo.justification, RULES.cloudFrontGeoRestriction);
    }

    const logBucket = cloudFrontLogsBucket(this);

    // CloudFront's metrics, and so the alarms, exist in us-east-1 only.
    const inCloudFrontRegion = region === CLOUDFRONT_REGION;
    // The additional metrics cost a monthly fee: only where the alarm that reads them can exist.
    const latencyOn = alarms.originLatencyAlarm !== undefined && inCloudFrontRegion;
    const defaultOrigin = props.defaultOrigin._bind(this, 'Default');
    // Guarded: a property injector for cloudfront.Distribution must not drop the web ACL, the TLS floor, logging or the geo restriction.
    this.distribution = new cloudfront.Distribution(this, 'Resource', guardedProps(this, 'Resource', 'SecureDistribution', DISTRIBUTION_BASE, {
      defaultBehavior: this.behaviour(defaultOrigin, props.edgeFunctions),
      comment: (props.comment ?? this.node.path).slice(0, 128),
      domainNames: props.domainNames,
      certificate: props.certificate,
      // Without a certificate of its own CloudFront decides both (aws-cdk-lib warns when they are set).
      minimumProtocolVersion: props.certificate === undefined ? undefined : cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      sslSupportMethod: props.certificate === undefined ? undefined : cloudfront.SSLMethod.SNI,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      webAclId: this.webAclArn,
      geoRestriction: geo._render(),
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_ALL,
      defaultRootObject: props.defaultRootObject ?? (defaultOrigin.staticContent ? DEFAULT_ROOT_OBJECT : undefined),
      enableLogging: true,
      logBucket,
      logFilePrefix: `cloudfront/${Names.uniqueResourceName(this, { maxLength: 64, separator: '-' })}/`,
      logIncludesCookies: false,
      publishAdditionalMetrics: latencyOn ? true : undefined,
    }, SECURED_DISTRIBUTION_PROPS));
    this.distributionId = this.distribution.distributionId;
    this.distributionDomainName = this.distribution.distributionDomainName;
    if (props.certificate === undefined) {
      acknowledge(
        this.distribution,
        AcknowledgementCause.AWS_FORCED,
        RULES.cloudFrontViewerTls,
        'on its *.cloudfront.net certificate CloudFront sets the viewer security policy to TLSv1 itself; give `domainNames` and `certificate` for TLSv1.2_2021',
      );
    }

    const created = applyAlarms(this, this.distributionId, props, DISTRIBUTION_ALARMS, inCloudFrontRegion ? alarms : {});
    this.errorRateAlarm = created.errorRateAlarm;
    this.originLatencyAlarm = created.originLatencyAlarm;
    if (!inCloudFrontRegion && (alarms.errorRateAlarm !== undefined || alarms.originLatencyAlarm !== undefined)) {
      Annotations.of(this).addInfo(
        `CloudFront publishes its metrics in ${CLOUDFRONT_REGION} only, and alarms cannot watch another region: the distribution's alarms exist ` +
          `when its stack's env names ${CLOUDFRONT_REGION} (this stack's region: ${Token.isUnresolved(region) ? 'env-agnostic' : region}).`,
      );
    }
    Monitoring.of(this)._addWidgets(() => [new cloudwatch.GraphWidget({
      title: `${this.node.path}: requests and errors`,
      width: 24,
      left: [distributionMetric(this.distributionId, 'Requests', 'Sum')],
      right: [distributionMetric(this.distributionId, '4xxErrorRate', 'Average'), distributionMetric(this.distributionId, '5xxErrorRate', 'Average')],
    })]);
  }

  /**
   * Routes the paths `pathPattern` matches (e.g. `/api/*`) to `origin`, with
   * the same HTTPS redirect, security headers and compression as the default.
   */
  public addBehavior(pathPattern: string, origin: EdgeOrigin, options: SecureBehaviorOptions = {}): void {
    const problems = new ProblemCollector(this);
    requireEdgeOrigin(problems, 'origin', origin, 'EdgeOrigin.api(api)');
    if (requireStruct(problems, 'options', options, '{ edgeFunctions: [fn] }')) {
      checkEdgeFunctions(problems, 'edgeFunctions', options.edgeFunctions);
    }
    const validPattern = typeof pathPattern === 'string' && /^\/?[A-Za-z0-9_\-.*$/~"'@:+&]+$/.test(pathPattern) && pathPattern !== '*' && pathPattern.length <= 255;
    problems.require(
      validPattern,
      `\`pathPattern\` must be a CloudFront path pattern other than the default \`*\` (e.g. '/api/*'), got: ${received(pathPattern)}.`,
    );
    problems.require(!validPattern || !this.pathPatterns.has(pathPattern), `\`pathPattern\` ${pathPattern} already has a behaviour.`);
    problems.throwIfAny();
    this.pathPatterns.add(pathPattern);
    const bound = origin._bind(this, `Behavior${shortHash(pathPattern)}`);
    const { origin: target, ...behaviour } = this.behaviour(bound, options.edgeFunctions);
    this.distribution.addBehavior(pathPattern, target, behaviour);
  }

  private behaviour(bound: BoundEdgeOrigin, edgeFunctions: SecureEdgeFunction[] = []): cloudfront.BehaviorOptions {
    return {
      edgeLambdas: edgeFunctions.length === 0 ? undefined : edgeFunctions.map((fn) => fn._edgeLambda()),
      origin: bound.origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: bound.allowedMethods,
      cachePolicy: bound.cachePolicy,
      originRequestPolicy: bound.originRequestPolicy,
      responseHeadersPolicy: this.responseHeadersPolicy,
      compress: true,
    };
  }
}

function distributionMetric(distributionId: string, metricName: string, statistic: string): cloudwatch.Metric {
  // The L2's metric helpers leave out Region=Global, without which CloudFront's metrics have no data (aws/aws-cdk#19245).
  return new cloudwatch.Metric({
    namespace: 'AWS/CloudFront',
    metricName,
    dimensionsMap: { DistributionId: distributionId, Region: 'Global' },
    statistic,
    period: Duration.minutes(1),
    region: CLOUDFRONT_REGION,
  });
}

/** The alarms of {@link SecureDistribution} and their defaults. @internal */
export const DISTRIBUTION_ALARMS: Record<'errorRateAlarm' | 'originLatencyAlarm', ConstructAlarm<string>> = {
  errorRateAlarm: {
    id: 'ErrorRateAlarm',
    metric: (distributionId) => distributionMetric(distributionId, '5xxErrorRate', 'Average'),
    describe: (c) => `more than ${c.threshold}% of requests answered 5xx in ${describeWindow(c)}`,
    onByDefault: true,
    threshold: 5,
    minThreshold: 0,
    maxThreshold: 100,
    thresholdUnit: '% of requests answered 5xx',
    period: Duration.minutes(1),
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
  },
  originLatencyAlarm: {
    id: 'OriginLatencyAlarm',
    metric: (distributionId) => distributionMetric(distributionId, 'OriginLatency', 'p90'),
    describe: (c) => `p90 origin latency above ${c.threshold} ms in ${describeWindow(c)}`,
    onByDefault: true,
    threshold: 3000,
    minThreshold: 1,
    maxThreshold: 180000,
    thresholdUnit: 'p90 origin latency, ms',
    period: Duration.minutes(1),
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
  },
};

function checkProps(scope: Construct, props: SecureDistributionProps): { [P in keyof typeof DISTRIBUTION_ALARMS]?: AlarmConfig } {
  const problems = new ProblemCollector(scope);
  const alarms = checkAlarmSettings(problems, props, DISTRIBUTION_ALARMS);
  props.geoRestriction?._check(problems, 'geoRestriction');
  checkEdgeFunctions(problems, 'edgeFunctions', props.edgeFunctions);
  const region = Stack.of(scope).region;
  problems.require(
    !(props.webAcl !== undefined && props.webAclArn !== undefined),
    '`webAcl` and `webAclArn` both name the web ACL of the distribution; pass one of them.',
  );
  if (props.webAcl !== undefined) {
    problems.require(
      props.webAcl.webAclScope === WebAclScope.CLOUDFRONT,
      `\`webAcl\` ${props.webAcl.node.path} has scope REGIONAL; a distribution needs \`scope: WebAclScope.CLOUDFRONT\` (in a us-east-1 stack).`,
    );
  }
  if (props.webAclArn !== undefined && !Token.isUnresolved(props.webAclArn)) {
    problems.require(
      /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[^/]+$/.test(props.webAclArn),
      `\`webAclArn\` must be the ARN of a CLOUDFRONT-scope web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>), got: ${received(props.webAclArn)}.`,
    );
  }
  if (props.webAcl === undefined && props.webAclArn === undefined && !Token.isUnresolved(region)) {
    problems.require(
      region === CLOUDFRONT_REGION,
      `the stack is in ${region}, but CloudFront web ACLs live in ${CLOUDFRONT_REGION}: pass \`webAclArn\` (a CLOUDFRONT-scope web ACL, e.g. a ` +
        `\`SecureWebAcl\` with \`scope: WebAclScope.CLOUDFRONT\` in a small ${CLOUDFRONT_REGION} stack with \`crossRegionReferences: true\`), ` +
        `or put this stack in ${CLOUDFRONT_REGION}.`,
    );
  }
  problems.require(
    Token.isUnresolved(region) || !NO_STANDARD_LOG_REGIONS.includes(region),
    `the stack is in ${region}, an opt-in region, and CloudFront's standard logging delivers no logs to buckets there: put the distribution ` +
      'in a stack of another region (a distribution is global; only its stack has a region), next to its log bucket.',
  );
  const domains = props.domainNames ?? [];
  problems.require(
    (domains.length > 0) === (props.certificate !== undefined),
    props.certificate === undefined
      ? '`domainNames` needs `certificate`: an ACM certificate for them in us-east-1.'
      : '`certificate` needs `domainNames`: the names it covers, e.g. `[\'www.example.com\']`.',
  );
  const certificateRegion = props.certificate === undefined ? undefined : regionOf(props.certificate);
  problems.require(
    certificateRegion === undefined || certificateRegion === CLOUDFRONT_REGION,
    `\`certificate\` is in ${certificateRegion}; CloudFront takes viewer certificates from ${CLOUDFRONT_REGION} only (request it there, ` +
      'e.g. in a small us-east-1 stack, or with `acm.DnsValidatedCertificate`\'s successor in that region).',
  );
  if (props.contentSecurityPolicy !== undefined && !Token.isUnresolved(props.contentSecurityPolicy)) {
    problems.require(
      props.contentSecurityPolicy.trim().length > 0 && props.contentSecurityPolicy.length <= 1783,
      `\`contentSecurityPolicy\` must be a policy of 1 to 1783 characters (CloudFront's limit), got: ${received(props.contentSecurityPolicy)}.`,
    );
  }
  problems.throwIfAny();
  return alarms;
}

/** An origin made by `EdgeOrigin`'s static methods (a subclass of another kind has no `_bind`). */
function requireEdgeOrigin(problems: ProblemCollector, prop: string, value: unknown, example: string): void {
  if (requireInstanceOf(problems, prop, value, EdgeOrigin, `an EdgeOrigin, e.g. \`${example}\``, true)) {
    problems.require(
      typeof (value as { _bind?: unknown })._bind === 'function',
      `\`${prop}\` must come from \`EdgeOrigin.bucket\`, \`.api\`, \`.httpApi\` or \`.functionUrl\`; other subclasses of EdgeOrigin are not supported.`,
    );
  }
}

/** Lambda@Edge functions of one behaviour: SecureEdgeFunctions, one per event type. */
function checkEdgeFunctions(problems: ProblemCollector, prop: string, value: unknown): void {
  if (!requireOptionalArray(problems, prop, value, '[edgeFunction]', (item, element) =>
    requireInstanceOf(problems, item, element, SecureEdgeFunction, 'a SecureEdgeFunction', true)) || value === undefined) {
    return;
  }
  const types = (value as SecureEdgeFunction[]).map((fn) => fn.eventType);
  const repeated = [...new Set(types.filter((t, i) => types.indexOf(t) !== i))];
  problems.require(repeated.length === 0, `\`${prop}\` has more than one function for ${repeated.join(', ')}; CloudFront runs one function per event type and behaviour.`);
}

/** The certificate's region, when known at synth time. */
function regionOf(certificate: acm.ICertificate): string | undefined {
  // An imported certificate's env is its stack's: read the ARN first.
  const arn = certificate.certificateArn;
  const fromArn = Token.isUnresolved(arn) ? undefined : /^arn:[^:]+:acm:([^:]+):/.exec(arn)?.[1];
  const fromEnv = certificate.env?.region;
  return fromArn ?? (fromEnv === undefined || Token.isUnresolved(fromEnv) ? undefined : fromEnv);
}

/** Types of the props, as untyped callers (Python, Java, .NET, JavaScript) may get them wrong; throws at once. */
function checkInputTypes(scope: Construct, props: SecureDistributionProps): void {
  const problems = new ProblemCollector(scope);
  if (requireProps(problems, props, '{ defaultOrigin: EdgeOrigin.bucket(site) }')) {
    const p = props as unknown as Record<keyof SecureDistributionProps, unknown>;
    requireEdgeOrigin(problems, 'defaultOrigin', p.defaultOrigin, 'EdgeOrigin.bucket(site)');
    requireOptionalStringArray(problems, 'domainNames', p.domainNames, "['www.example.com']");
    requireInterface(problems, 'certificate', p.certificate, 'certificateArn', 'an acm.ICertificate in us-east-1');
    requireInstanceOf(problems, 'webAcl', p.webAcl, SecureWebAcl, 'a SecureWebAcl with `scope: WebAclScope.CLOUDFRONT`');
    requireOptionalNonEmptyString(problems, 'webAclArn', p.webAclArn, 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge/<id>');
    requireInstanceOf(problems, 'geoRestriction', p.geoRestriction, EdgeGeoRestriction, '`EdgeGeoRestriction.allow([...])`, `.deny([...])` or `.none({ reason })`');
    requireOptionalString(problems, 'contentSecurityPolicy', p.contentSecurityPolicy);
    requireEnumValue(problems, 'priceClass', p.priceClass, cloudfront.PriceClass, 'cloudfront.PriceClass');
    requireOptionalNonEmptyString(problems, 'defaultRootObject', p.defaultRootObject, 'index.html');
    requireOptionalString(problems, 'comment', p.comment);
  }
  problems.throwIfAny();
}
