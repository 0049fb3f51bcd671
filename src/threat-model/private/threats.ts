import {
  Element, ElementKind, Flow, FlowGraph, FlowVia, Resource, actionReads, distributionBehavioursOf, distributionOriginsOf, flattenArn, isAnyone,
  labelOf as labelInStack, localRefs,
} from './graph';
import { isForcedWildcard } from '../../core/private/forced-wildcards';
import { latestRuntimeOf } from '../../core/private/runtime';
import { knownContents } from '../../core/private/sbom-file';
import { detectSecret } from '../../core/private/secret-detector';

/**
 * The STRIDE-D threat catalogue: each threat names where it applies, its
 * statement in Threat Composer's grammar, and the mitigations that answer it.
 * Each mitigation is evaluated from the template alone: it is resolved when a
 * property or resource proves it, and says what to add otherwise. No rule
 * knows which library wrote the resource.
 */

/** STRIDE plus Dependencies. @internal */
export enum StrideD {
  SPOOFING = 'S',
  TAMPERING = 'T',
  REPUDIATION = 'R',
  INFORMATION_DISCLOSURE = 'I',
  DENIAL_OF_SERVICE = 'D',
  ELEVATION_OF_PRIVILEGE = 'E',
  DEPENDENCIES = 'Dependencies',
}

/** The STRIDE-D category names, in the order the reports list them. @internal */
export const STRIDE_D_NAMES: ReadonlyArray<[StrideD, string]> = [
  [StrideD.SPOOFING, 'Spoofing'],
  [StrideD.TAMPERING, 'Tampering'],
  [StrideD.REPUDIATION, 'Repudiation'],
  [StrideD.INFORMATION_DISCLOSURE, 'Information disclosure'],
  [StrideD.DENIAL_OF_SERVICE, 'Denial of service'],
  [StrideD.ELEVATION_OF_PRIVILEGE, 'Elevation of privilege'],
  [StrideD.DEPENDENCIES, 'Dependencies'],
];

/** What a mitigation check found: `resolved` with the proof, or not, with what to add. @internal */
export interface Evidence {
  readonly resolved: boolean;
  readonly text: string;
}

/** What a threat or mitigation is about: an element or a flow. @internal */
export interface Target {
  readonly element?: Element;
  readonly flow?: Flow;
}

/** Facts outside the graph a check may need. @internal */
export interface CheckContext {
  readonly graph: FlowGraph;
  /** The cloud assembly directory (SBOM files live under `sbom/`). */
  readonly assemblyDir: string;
}

/** One mitigation: a short title and its check. @internal */
export interface MitigationSpec {
  readonly key: string;
  readonly title: string;
  check(target: Target, context: CheckContext): Evidence;
}

/** Threat Composer's threat grammar. @internal */
export interface Grammar {
  readonly source: string;
  readonly prerequisites: string;
  readonly action: string;
  readonly impact: string;
  readonly goals: string[];
}

/** One threat of the catalogue. @internal */
export interface ThreatSpec {
  readonly key: string;
  readonly stride: StrideD;
  readonly priority: 'High' | 'Medium' | 'Low';
  readonly mitigations: MitigationSpec[];
  applies(target: Target, graph: FlowGraph): boolean;
  grammar(target: Target): Grammar;
}

const ok = (text: string): Evidence => ({ resolved: true, text });
const missing = (text: string): Evidence => ({ resolved: false, text });

const el = (t: Target) => t.element!;
const props = (t: Target): Record<string, any> => t.element?.resource?.props ?? {};
const typeIs = (...types: string[]) => (t: Target) => t.element?.resource !== undefined && types.includes(t.element.resource.type);
const name = (e: Element) => `${e.label} (${e.noun})`;
const flowName = (f: Flow) => `${f.from.label} → ${f.to.label}`;

/** Statements of the resource policies attached to a queue, topic, bucket or bus. */
function resourcePolicyStatements(e: Element, graph: FlowGraph): any[] {
  return graph.resourcePolicyStatements(e);
}

/** Condition keys that narrow who may call: the source resource or account, the organization, the VPC endpoint. */
const SCOPING_KEYS = ['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceorgid', 'aws:principalorgid', 'aws:principalaccount', 'aws:sourcevpce', 'aws:sourcevpc', 'aws:principalarn'];

/** The IAM service prefix of a resource type with a resource policy. */
const SERVICE_OF_TYPE: Record<string, string> = {
  'AWS::SQS::Queue': 'sqs', 'AWS::SNS::Topic': 'sns', 'AWS::S3::Bucket': 's3', 'AWS::Events::EventBus': 'events',
};


const conditionKeys = (statement: any): string[] =>
  Object.values<any>(statement?.Condition ?? {}).flatMap((block) => Object.keys(block ?? {})).map((k) => k.toLowerCase());

// ---------------------------------------------------------------- mitigations

/** An API whose methods come from an OpenAPI body (SpecRestApi, imported definitions) or an HTTP API quick-create target. */
const definedInBody = (e: Element) => ['Body', 'BodyS3Location', 'Target'].some((k) => e.resource?.props[k] !== undefined);

const METHOD_AUTHORIZATION: MitigationSpec = {
  key: 'method-authorization',
  title: 'Every API method requires authorization (IAM, Cognito or a Lambda authorizer)',
  check(t, { graph }) {
    const methods = graph.referring(el(t), 'AWS::ApiGateway::Method').filter((m) => m.props.Integration?.Type !== 'MOCK');
    const routes = graph.referring(el(t), 'AWS::ApiGatewayV2::Route');
    const all = [...methods.map((m) => ({ route: `${m.props.HttpMethod} ${graph.resourcePath(m)}`, auth: m.props.AuthorizationType })),
      ...routes.map((r) => ({ route: String(r.props.RouteKey), auth: r.props.AuthorizationType }))];
    const open = all.filter((m) => m.auth === undefined || m.auth === 'NONE');
    if (definedInBody(el(t))) {
      return missing('methods are defined in the API\'s OpenAPI body (or quick-create target), which this model does not read: check their security schemes');
    }
    if (all.length === 0) {
      return ok('the API has no methods yet');
    }
    return open.length === 0
      ? ok(`all ${all.length} methods set \`AuthorizationType\` (${[...new Set(all.map((m) => m.auth))].join(', ')})`)
      : missing(`${open.length} of ${all.length} methods take requests without authorization: ${open.map((m) => m.route).join(', ')}; set \`AuthorizationType\` (AWS_IAM, COGNITO_USER_POOLS or CUSTOM)`);
  },
};

const URL_AUTH: MitigationSpec = {
  key: 'url-iam-auth',
  title: 'The function URL requires IAM authorization',
  check: (t) => (props(t).AuthType === 'AWS_IAM' ? ok('`AuthType: AWS_IAM`') : missing(`\`AuthType\` is ${props(t).AuthType ?? 'unset'}: set AWS_IAM, or put the URL behind CloudFront with origin access control`)),
};

/** Web ACLs in front of an API, with their rules. */
function webAclRules(t: Target, graph: FlowGraph): Array<{ acl: Element; rule: any }> {
  return (graph.guards.get(el(t).id) ?? []).filter((g) => g.noun === 'web ACL')
    .flatMap((acl) => [acl.resource!.props.Rules ?? []].flat().map((rule: any) => ({ acl, rule })));
}

const WAF_MANAGED_RULES: MitigationSpec = {
  key: 'waf-managed-rules',
  title: 'A web ACL with AWS managed rule groups inspects every request',
  check(t, { graph }) {
    if (el(t).resource?.type === 'AWS::ApiGatewayV2::Api') {
      return missing('HTTP APIs cannot take a web ACL: put a CloudFront distribution with a web ACL in front of it');
    }
    // A group overridden to Count only counts: it blocks nothing.
    const groups = webAclRules(t, graph).filter(({ rule }) => rule.Statement?.ManagedRuleGroupStatement && rule.OverrideAction?.None !== undefined);
    return groups.length > 0
      ? ok(`web ACL ${groups[0].acl.label}: ${groups.map(({ rule }) => rule.Statement.ManagedRuleGroupStatement.Name).join(', ')}`)
      : missing(`${DISTRIBUTIONS(t) ? 'attach a CLOUDFRONT-scope web ACL (`WebACLId`)' : 'associate a web ACL'} with managed rule groups ` +
        `(AWSManagedRulesCommonRuleSet, KnownBadInputs)${DISTRIBUTIONS(t) ? '' : ' with the stage'}`);
  },
};

const WAF_RATE_RULE: MitigationSpec = {
  key: 'waf-rate-rule',
  title: 'A per-IP rate-based rule blocks floods from one source',
  check(t, { graph }) {
    if (el(t).resource?.type === 'AWS::ApiGatewayV2::Api') {
      return missing('HTTP APIs cannot take a web ACL: put a CloudFront distribution with a rate-based web ACL rule in front of it');
    }
    const rate = webAclRules(t, graph).find(({ rule }) => rule.Statement?.RateBasedStatement && rule.Action?.Block !== undefined);
    if (!rate) {
      return missing(DISTRIBUTIONS(t)
        ? 'attach a CLOUDFRONT-scope web ACL (`WebACLId`) with a rate-based rule (per IP, action Block)'
        : 'associate a web ACL with a rate-based rule (per IP, action Block) with the stage');
    }
    const s = rate.rule.Statement.RateBasedStatement;
    return ok(`web ACL ${rate.acl.label}, rule ${rate.rule.Name}: block above ${s.Limit} requests per ${s.EvaluationWindowSec ?? 300} s per ${s.AggregateKeyType ?? 'IP'}`);
  },
};

const STAGE_THROTTLING: MitigationSpec = {
  key: 'stage-throttling',
  title: 'Stage throttling caps the request rate and burst',
  check(t, { graph }) {
    const stages = graph.referring(el(t), 'AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage');
    const limits = stages.map((s) => {
      const settings = [s.props.MethodSettings ?? []].flat().find((m: any) => m.HttpMethod === '*' && m.ResourcePath === '/*') ?? s.props.DefaultRouteSettings ?? {};
      return { stage: s, rate: settings.ThrottlingRateLimit, burst: settings.ThrottlingBurstLimit };
    });
    // A usage plan throttles only requests that carry an API key: it counts when every method requires one.
    const methods = graph.referring(el(t), 'AWS::ApiGateway::Method').filter((m) => m.props.Integration?.Type !== 'MOCK');
    const keyed = methods.length > 0 && methods.every((m) => m.props.ApiKeyRequired === true);
    const plans = graph.ofType('AWS::ApiGateway::UsagePlan')
      .filter((p) => keyed && p.props.Throttle?.RateLimit !== undefined)
      .filter((p) => graph.targets(p.stack, p.props.ApiStages).elements.some((e) => e.id === el(t).id));
    const unthrottled = limits.filter((l) => l.rate === undefined);
    if (stages.length > 0 && unthrottled.length === 0) {
      return ok(limits.map((l) => `stage ${l.stage.props.StageName ?? labelInStack(l.stage)}: ${l.rate} requests/s, burst ${l.burst}`).join('; '));
    }
    if (plans.length > 0) {
      return ok(`usage plan ${labelInStack(plans[0])}: ${plans[0].props.Throttle.RateLimit} requests/s`);
    }
    return missing('set `ThrottlingRateLimit` and `ThrottlingBurstLimit` on the stage (`MethodSettings` for `/*` `*`), or a usage plan');
  },
};

const REQUEST_VALIDATION: MitigationSpec = {
  key: 'request-validation',
  title: 'Methods that take a body validate it against a model before the function runs',
  check(t, { graph }) {
    const bodied = graph.referring(el(t), 'AWS::ApiGateway::Method')
      .filter((m) => ['POST', 'PUT', 'PATCH'].includes(m.props.HttpMethod) && m.props.Integration?.Type !== 'MOCK');
    const unvalidated = bodied.filter((m) => m.props.RequestValidatorId === undefined || m.props.RequestModels === undefined);
    if (definedInBody(el(t))) {
      return missing('methods are defined in the API\'s OpenAPI body, which this model does not read: check that each body is validated');
    }
    if (bodied.length === 0) {
      return ok('no method takes a request body');
    }
    return unvalidated.length === 0
      ? ok(`${bodied.length} method(s) with a body set \`RequestValidatorId\` and \`RequestModels\``)
      : missing(`validate the body of ${unvalidated.map(labelInStack).join(', ')}: a request validator and a JSON schema model`);
  },
};

const API_ACCESS_LOGS: MitigationSpec = {
  key: 'api-access-logs',
  title: 'Every stage writes access logs',
  check(t, { graph }) {
    const stages = graph.referring(el(t), 'AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage');
    const destination = (s: Resource) => (s.props.AccessLogSetting ?? s.props.AccessLogSettings)?.DestinationArn;
    const unlogged = stages.filter((s) => destination(s) === undefined);
    if (stages.length === 0) {
      return missing('the API has no stage in this app: deploy it with a stage that writes access logs');
    }
    return unlogged.length === 0
      ? ok(stages.map((s) => `stage ${s.props.StageName ?? labelInStack(s)} → ${graph.describe(s.stack, (s.props.AccessLogSetting ?? s.props.AccessLogSettings).DestinationArn)}`).join('; '))
      : missing(`set \`AccessLogSetting\` on ${unlogged.map(labelInStack).join(', ')}`);
  },
};

const API_NO_DATA_TRACE: MitigationSpec = {
  key: 'api-no-data-trace',
  title: 'Execution logs leave request and response bodies out (no data trace)',
  check(t, { graph }) {
    const traced = graph.referring(el(t), 'AWS::ApiGateway::Stage').filter((s) => [s.props.MethodSettings ?? []].flat().some((m: any) => m.DataTraceEnabled === true));
    return traced.length === 0 ? ok('no stage sets `DataTraceEnabled: true`') : missing(`turn off \`DataTraceEnabled\` on ${traced.map(labelInStack).join(', ')}: it logs full request and response bodies`);
  },
};

/** The default and path behaviours of a distribution. */
const behaviours = (t: Target): any[] => distributionBehavioursOf(el(t).resource!);
const behaviourName = (b: any) => (b.PathPattern === undefined ? 'the default behaviour' : `\`${b.PathPattern}\``);

const DISTRIBUTION_LOGS: MitigationSpec = {
  key: 'distribution-logs',
  title: 'The distribution writes standard logs',
  check(t, { graph }) {
    const logging = props(t).DistributionConfig?.Logging;
    return logging?.Bucket !== undefined
      ? ok(`standard logs → ${graph.describe(el(t).resource!.stack, logging.Bucket)}${typeof logging.Prefix === 'string' ? ` under \`${logging.Prefix}\`` : ''}`)
      : missing('set `Logging` (standard logs to a bucket) so every viewer request is on record');
  },
};

const VIEWER_HTTPS: MitigationSpec = {
  key: 'viewer-https',
  title: 'Viewers are held to HTTPS (redirected or refused on plain HTTP)',
  check(t) {
    const plain = behaviours(t).filter((b) => b.ViewerProtocolPolicy === undefined || b.ViewerProtocolPolicy === 'allow-all');
    return plain.length === 0
      ? ok(`every behaviour sets \`ViewerProtocolPolicy\` (${[...new Set(behaviours(t).map((b) => b.ViewerProtocolPolicy))].join(', ')})`)
      : missing(`${plain.map(behaviourName).join(', ')} accept plain HTTP: set \`ViewerProtocolPolicy: redirect-to-https\``);
  },
};

const VIEWER_TLS: MitigationSpec = {
  key: 'viewer-tls-1-2',
  title: 'Viewers need TLS 1.2 or newer',
  check(t) {
    const certificate = props(t).DistributionConfig?.ViewerCertificate;
    if (certificate === undefined || certificate.CloudFrontDefaultCertificate === true) {
      return missing('on its *.cloudfront.net certificate CloudFront accepts TLSv1: add a custom domain with an ACM certificate (in us-east-1) and `MinimumProtocolVersion: TLSv1.2_2021`');
    }
    const policy = certificate.MinimumProtocolVersion;
    return typeof policy === 'string' && /^TLSv1\.[23]_/.test(policy) ? ok(`\`MinimumProtocolVersion: ${policy}\``) : missing(`\`MinimumProtocolVersion\` is ${policy ?? 'unset'}: set TLSv1.2_2021`);
  },
};

const SECURITY_HEADERS: MitigationSpec = {
  key: 'security-headers',
  title: 'Every response carries HSTS, frame, content-type and content security policy headers',
  check(t, { graph }) {
    const stack = el(t).resource!.stack;
    const policyOf = (b: any) => localRefs(b.ResponseHeadersPolicyId).map((id) => graph.resource(stack, id)).find((r) => r?.type === 'AWS::CloudFront::ResponseHeadersPolicy');
    const complete = (policy: Resource | undefined) => {
      const headers = policy?.props.ResponseHeadersPolicyConfig?.SecurityHeadersConfig ?? {};
      return ['StrictTransportSecurity', 'FrameOptions', 'ContentTypeOptions', 'ContentSecurityPolicy'].every((h) => headers[h] !== undefined);
    };
    const lacking = behaviours(t).filter((b) => !complete(policyOf(b)));
    if (lacking.length > 0) {
      return missing(`${lacking.map(behaviourName).join(', ')}: attach a response headers policy with HSTS, X-Frame-Options, X-Content-Type-Options and a Content-Security-Policy`);
    }
    const policies = [...new Set(behaviours(t).map((b) => policyOf(b)!.path.split('/').slice(1, -1).join('/')))];
    return ok(`response headers policy ${policies.join(', ')} on every behaviour`);
  },
};

/** A header a distribution sends to an origin: its name, and the elements its value refers to (the secret behind a dynamic reference). */
interface SentHeader {
  readonly name: string;
  readonly value: unknown;
  readonly refersTo: Set<string>;
}

/** Whether `value` (in `stack`) is the value of `header`: the same literal, or a reference to the same element (a secret). */
function sameValue(graph: FlowGraph, stack: Resource['stack'], value: unknown, header: SentHeader): boolean {
  if (typeof value === 'string' && value === header.value) {
    return true;
  }
  return graph.targets(stack, value).elements.some((e) => header.refersTo.has(e.id));
}

/**
 * Whether a web ACL rule blocks requests without one of `headers` (a NOT over
 * a byte match on that header, as one header or a header pattern, whose
 * search string is the value the distribution sends).
 */
function blocksWithout(rule: any, headers: SentHeader[], graph: FlowGraph, stack: Resource['stack']): boolean {
  const nots: any[] = [];
  const visit = (statement: any): void => {
    if (statement?.NotStatement) {
      nots.push(statement.NotStatement.Statement);
    }
    [statement?.AndStatement?.Statements ?? []].flat().forEach(visit);
  };
  visit(rule.Statement);
  const named = (field: any): string[] => [field?.SingleHeader?.Name, ...[field?.Headers?.MatchPattern?.IncludedHeaders ?? []].flat()]
    .filter((n): n is string => typeof n === 'string').map((n) => n.toLowerCase());
  return rule.Action?.Block !== undefined && nots.some((s) => {
    const match = s?.ByteMatchStatement;
    return headers.some((h) => named(match?.FieldToMatch).includes(h.name) && sameValue(graph, stack, match?.SearchString, h));
  });
}

const ORIGIN_LOCKED: MitigationSpec = {
  key: 'origin-locked',
  title: 'The origin answers the distribution only',
  check(t, { graph }) {
    const { from, to } = t.flow!;
    const distribution = from.resource!;
    const origins = distributionOriginsOf(distribution)
      .filter((o) => graph.targets(distribution.stack, o.DomainName).elements.some((e) => e.id === to.id));
    const signed = origins.length > 0 && origins.every((o) => o.OriginAccessControlId !== undefined);
    const target = to.resource!;
    if (target.type === 'AWS::S3::Bucket') {
      const block = target.props.PublicAccessBlockConfiguration ?? {};
      const blocked = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every((k) => block[k] === true);
      return signed && blocked
        ? ok('origin access control signs every request and the bucket blocks public access')
        : missing(`${signed ? '' : 'reach the bucket through origin access control; '}${blocked ? '' : 'block all public access on the bucket'}`.replace(/; $/, ''));
    }
    if (target.type === 'AWS::Lambda::Url') {
      return signed && target.props.AuthType === 'AWS_IAM'
        ? ok('`AuthType: AWS_IAM`, and origin access control signs every request')
        : missing('set `AuthType: AWS_IAM` on the URL and reach it through origin access control');
    }
    const sent: SentHeader[] = origins.flatMap((o) => [o.OriginCustomHeaders ?? []].flat().map((h: any) => ({
      name: String(h.HeaderName).toLowerCase(),
      value: h.HeaderValue,
      refersTo: new Set(graph.targets(distribution.stack, h.HeaderValue).elements.map((e) => e.id)),
    })));
    const names = () => sent.map((h) => h.name).join('`, `');
    if (target.type === 'AWS::ApiGateway::RestApi') {
      const check = webAclRules({ element: to }, graph).find(({ acl, rule }) => blocksWithout(rule, sent, graph, acl.resource!.stack));
      return check
        ? ok(`web ACL ${check.acl.label}, rule ${check.rule.Name}: blocks requests without the \`${names()}\` header CloudFront sends`)
        : missing('the API\'s own endpoint takes requests that skip the distribution: send a secret origin header from CloudFront and block requests without it in the API\'s web ACL (`EdgeOrigin.api`), or make the API private');
    }
    if (target.type === 'AWS::ApiGatewayV2::Api') {
      // HTTP APIs take no web ACL: every route's authorizer must read a header the distribution sends, and know its value.
      const routes = graph.referring(to, 'AWS::ApiGatewayV2::Route');
      const checking = (route: Resource) => localRefs(route.props.AuthorizerId).map((id) => graph.resource(route.stack, id)).some((a) => {
        if (a === undefined) {
          return false;
        }
        const sources = [a.props.IdentitySource ?? []].flat().map((source: unknown) => String(source).toLowerCase());
        const header = sent.find((h) => sources.includes(`$request.header.${h.name}`));
        // The authorizer's function is given the secret the header's value comes from (by reference, e.g. its ARN).
        const functions = graph.targets(a.stack, a.props.AuthorizerUri).elements.filter((e) => e.resource?.type === 'AWS::Lambda::Function');
        return header !== undefined
          && functions.some((fn) => sameValue(graph, fn.resource!.stack, fn.resource!.props.Environment?.Variables, header));
      });
      const unchecked = routes.filter((r) => !checking(r));
      return routes.length > 0 && unchecked.length === 0
        ? ok(`every route's authorizer takes the \`${names()}\` header CloudFront sends as its identity source, and its function the secret behind it`)
        : missing(`${unchecked.map((r) => String(r.props.RouteKey)).join(', ') || 'the API\'s routes'} take requests that skip the distribution: ` +
          'give every route a Lambda authorizer that checks a secret header CloudFront sends (`EdgeOrigin.httpApi`)');
    }
    return missing(`check that ${name(to)} accepts requests from the distribution only`);
  },
};

const FUNCTION_LOG_LEVEL: MitigationSpec = {
  key: 'function-log-level',
  title: 'The function does not log at DEBUG or TRACE',
  check(t) {
    const level = props(t).LoggingConfig?.ApplicationLogLevel;
    return level === 'DEBUG' || level === 'TRACE' ? missing(`\`ApplicationLogLevel\` is ${level}: use INFO or above in production`) : ok(`application log level ${level ?? 'as the code writes it (no DEBUG/TRACE setting)'}`);
  },
};

/** The key that encrypts a store at rest, per resource type. */
function encryptionOf(e: Element, graph: FlowGraph): Evidence {
  const p = e.resource!.props;
  const stack = e.resource!.stack;
  const customer = (keyExpr: unknown, prop: string, awsManagedAlias: RegExp) =>
    keyExpr === undefined ? undefined : awsManagedAlias.test(flattenArn(keyExpr))
      ? missing(`\`${prop}\` is the AWS managed key ${flattenArn(keyExpr)}: no key policy of yours controls who decrypts; use a customer managed key`)
      : ok(`\`${prop}\` → ${graph.describe(stack, keyExpr)}`);
  switch (e.resource!.type) {
    case 'AWS::DynamoDB::Table':
      return customer(p.SSESpecification?.KMSMasterKeyId, 'SSESpecification.KMSMasterKeyId', /alias\/aws\//)
        ?? missing(p.SSESpecification?.SSEEnabled ? 'encrypted with the AWS managed key aws/dynamodb: set a customer managed `KMSMasterKeyId`' : 'encrypted with an AWS owned key only: set `SSESpecification` with a customer managed key');
    case 'AWS::DynamoDB::GlobalTable': {
      // A global table (TableV2) sets the key per replica; SSEType KMS without one is the AWS managed key.
      const keys = replicas(p).map((r) => r?.SSESpecification?.KMSMasterKeyId);
      if (p.SSESpecification?.SSEType === 'KMS' && keys.length > 0 && keys.every((k) => k !== undefined)) {
        const weak = keys.find((k) => /alias\/aws\//.test(flattenArn(k)));
        return weak !== undefined ? missing(`a replica uses the AWS managed key ${flattenArn(weak)}: use a customer managed key`)
          : ok(`every replica's \`SSESpecification.KMSMasterKeyId\` → ${[...new Set(keys.map((k) => graph.describe(stack, k)))].join(', ')}`);
      }
      return missing(p.SSESpecification?.SSEType === 'KMS' ? 'encrypted with the AWS managed key aws/dynamodb: set each replica\'s `KMSMasterKeyId`' : 'encrypted with an AWS owned key only: set `SSESpecification` (KMS) and a customer managed key per replica');
    }
    case 'AWS::S3::Bucket': {
      const rule = [p.BucketEncryption?.ServerSideEncryptionConfiguration ?? []].flat()[0]?.ServerSideEncryptionByDefault;
      if (rule?.SSEAlgorithm?.startsWith?.('aws:kms') && rule.KMSMasterKeyID !== undefined) {
        return ok(`SSE-KMS, \`KMSMasterKeyID\` → ${graph.describe(stack, rule.KMSMasterKeyID)}`);
      }
      const logSources = graph.ofType('AWS::S3::Bucket').filter((b) => graph.targets(b.stack, b.props.LoggingConfiguration?.DestinationBucketName).elements.some((x) => x.id === e.id));
      // No rule at all is SSE-S3 too: S3 encrypts every new object with it by default.
      if (logSources.length > 0 && (rule === undefined || rule.SSEAlgorithm === 'AES256')) {
        return ok(`SSE-S3: server access logs of ${logSources.length} bucket(s) land here, and S3 delivers them only to SSE-S3 buckets`);
      }
      return missing(`${rule?.SSEAlgorithm ?? 'SSE-S3 (the default)'}: set SSE-KMS with a customer managed key`);
    }
    case 'AWS::SQS::Queue':
      return customer(p.KmsMasterKeyId, 'KmsMasterKeyId', /alias\/aws\/sqs/) ?? missing('SQS-managed encryption: no key policy controls who reads messages; set a customer managed `KmsMasterKeyId`');
    case 'AWS::SNS::Topic':
      return customer(p.KmsMasterKeyId, 'KmsMasterKeyId', /alias\/aws\/sns/) ?? missing('messages are not encrypted at rest: set a customer managed `KmsMasterKeyId`');
    case 'AWS::SecretsManager::Secret':
      return customer(p.KmsKeyId, 'KmsKeyId', /alias\/aws\/secretsmanager/) ?? missing('the AWS managed key aws/secretsmanager: set a customer managed `KmsKeyId` to control (and audit) who decrypts');
    case 'AWS::Logs::LogGroup':
      return customer(p.KmsKeyId, 'KmsKeyId', /(?!)/) ?? missing('CloudWatch Logs default encryption only: set a customer managed `KmsKeyId`');
    case 'AWS::Kinesis::Stream':
      return customer(p.StreamEncryption?.KeyId, 'StreamEncryption.KeyId', /alias\/aws\/kinesis/) ?? missing('the stream is not encrypted at rest: set `StreamEncryption` with a customer managed key');
    default:
      return ok('not applicable');
  }
}

const CUSTOMER_KEY: MitigationSpec = {
  key: 'customer-managed-encryption',
  title: 'Encrypted at rest with a customer managed KMS key',
  check: (t, { graph }) => encryptionOf(el(t), graph),
};

const TLS_ONLY: MitigationSpec = {
  key: 'tls-only',
  title: 'The resource policy denies requests without TLS',
  check(t, { graph }) {
    // It must deny everyone every call of the service: a deny for one principal or one action leaves the rest on plain HTTP.
    const service = SERVICE_OF_TYPE[el(t).resource?.type ?? ''];
    const everything = (s: any) => [s.Action].flat().some((a) => a === '*' || a === `${service}:*` || (service === 'sns' && a === 'sns:Publish'));
    const deny = resourcePolicyStatements(el(t), graph)
      .find((s) => s.Effect === 'Deny' && String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false' && isAnyone(s.Principal) && everything(s));
    return deny ? ok(`policy statement ${deny.Sid ? `\`${deny.Sid}\` ` : ''}denies \`aws:SecureTransport: false\``) : missing('add a resource policy statement that denies requests with `aws:SecureTransport: false`');
  },
};

const SOURCE_SCOPED_SENDERS: MitigationSpec = {
  key: 'source-scoped-senders',
  title: 'The resource policy admits services only for named sources (aws:SourceArn / aws:SourceAccount) and no anonymous principal',
  check(t, { graph }) {
    const allows = resourcePolicyStatements(el(t), graph).filter((s) => s.Effect === 'Allow');
    // A condition scopes anyone only if it names who or where from; `aws:SecureTransport` does not.
    const anonymous = allows.filter((s) => isAnyone(s.Principal) && !conditionKeys(s).some((k) => SCOPING_KEYS.includes(k)));
    const unscopedServices = allows.filter((s) => s.Principal?.Service !== undefined && !conditionKeys(s).some((k) => k === 'aws:sourcearn' || k === 'aws:sourceaccount'));
    if (allows.length === 0) {
      return ok('no resource policy admits anyone: only IAM principals of this account with a grant');
    }
    const problems = [...anonymous.map((s) => `anyone (${s.Sid ?? 'Principal *'})`), ...unscopedServices.map((s) => `${[s.Principal.Service].flat().join(', ')} from any source`)];
    return problems.length === 0
      ? ok(`${allows.length} Allow statement(s), each scoped by \`aws:SourceArn\`/\`aws:SourceAccount\` or to named principals`)
      : missing(`the policy admits ${problems.join('; ')}: add \`aws:SourceArn\` and \`aws:SourceAccount\` conditions`);
  },
};

const ROTATION: MitigationSpec = {
  key: 'rotation',
  title: 'The secret rotates on a schedule',
  check(t, { graph }) {
    const schedule = graph.referring(el(t), 'AWS::SecretsManager::RotationSchedule')[0];
    if (!schedule) {
      return missing('add a rotation schedule: a leaked value stays valid until someone replaces it by hand');
    }
    const rules = schedule.props.RotationRules ?? {};
    return ok(`rotation schedule ${labelInStack(schedule)}: ${rules.ScheduleExpression ?? (rules.AutomaticallyAfterDays !== undefined ? `every ${rules.AutomaticallyAfterDays} days` : 'on its rules')}`);
  },
};

const VERSIONING: MitigationSpec = {
  key: 'versioning',
  title: 'Versioning keeps overwritten and deleted objects',
  check: (t) => (props(t).VersioningConfiguration?.Status === 'Enabled' ? ok('`VersioningConfiguration: Enabled`') : missing('enable versioning')),
};

const PUBLIC_ACCESS_BLOCK: MitigationSpec = {
  key: 'public-access-block',
  title: 'All four public access blocks are on',
  check(t) {
    const block = props(t).PublicAccessBlockConfiguration ?? {};
    const off = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].filter((k) => block[k] !== true);
    return off.length === 0 ? ok('`PublicAccessBlockConfiguration`: all four on') : missing(`turn on ${off.join(', ')}`);
  },
};

const BUCKET_ACCESS_LOGS: MitigationSpec = {
  key: 'bucket-access-logs',
  title: 'Server access logs record every request',
  check(t, { graph }) {
    const destination = props(t).LoggingConfiguration?.DestinationBucketName;
    return destination !== undefined ? ok(`\`LoggingConfiguration\` → ${graph.describe(el(t).resource!.stack, destination)}`) : missing('set `LoggingConfiguration` to an access-log bucket');
  },
};

/** The settings objects of a table: the table itself, or every replica of a global table (TableV2). */
function replicas(p: Record<string, any>): any[] {
  return Array.isArray(p.Replicas) ? p.Replicas : [];
}
const tableSettings = (t: Target): any[] => (el(t).resource?.type === 'AWS::DynamoDB::GlobalTable' ? replicas(props(t)) : [props(t)]);
const onEvery = (settings: any[], read: (s: any) => unknown) => settings.length > 0 && settings.every((s) => read(s) === true);

const POINT_IN_TIME_RECOVERY: MitigationSpec = {
  key: 'point-in-time-recovery',
  title: 'Point-in-time recovery can restore the table to before a bad write',
  check: (t) => (onEvery(tableSettings(t), (s) => s?.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled)
    ? ok('`PointInTimeRecoveryEnabled: true`') : missing('enable point-in-time recovery')),
};

const DELETION_PROTECTION: MitigationSpec = {
  key: 'deletion-protection',
  title: 'Deletion protection stops the table from being deleted by one call',
  check: (t) => (onEvery(tableSettings(t), (s) => s?.DeletionProtectionEnabled) ? ok('`DeletionProtectionEnabled: true`') : missing('set `DeletionProtectionEnabled: true`')),
};

const LOG_RETENTION: MitigationSpec = {
  key: 'log-retention',
  title: 'The log group has a retention period',
  check: (t) => (props(t).RetentionInDays !== undefined ? ok(`\`RetentionInDays: ${props(t).RetentionInDays}\``) : missing('set `RetentionInDays`: without it logs are kept forever and no one decides how long evidence lives')),
};

const OWN_LOG_GROUP: MitigationSpec = {
  key: 'own-log-group',
  title: 'The function logs to a log group of the app, with retention',
  check(t, { graph }) {
    const group = graph.targets(el(t).resource!.stack, props(t).LoggingConfig?.LogGroup).elements[0];
    if (!group) {
      return missing('the function logs to `/aws/lambda/<name>`, created at its first invocation outside the template (no retention, no key): set `LoggingConfig.LogGroup`');
    }
    return group.resource?.props.RetentionInDays !== undefined
      ? ok(`\`LoggingConfig.LogGroup\` → ${group.label}, kept ${group.resource.props.RetentionInDays} days`)
      : missing(`\`LoggingConfig.LogGroup\` → ${group.label}, which has no \`RetentionInDays\``);
  },
};

const CLOUDTRAIL: MitigationSpec = {
  key: 'cloudtrail-trail',
  title: 'A multi-region CloudTrail trail records the account\'s API calls, with log file validation',
  check(t, { graph }) {
    // A multi-region trail covers every region of its account; an env-agnostic stack's trail deploys to whichever account it is given.
    const [, account] = /^ext:account:aws:\/\/([^/]+)\/(.+)$/.exec(t.element!.id) ?? [];
    const covers = (env: string) => {
      const [, trailAccount] = /^aws:\/\/([^/]+)\/(.+)$/.exec(env) ?? [];
      return { account: trailAccount === account || trailAccount === 'unknown-account' || account === 'unknown-account' };
    };
    const good = graph.ofType('AWS::CloudTrail::Trail').find((r) => {
      const where = covers(r.stack.environment);
      return where.account && r.props.IsMultiRegionTrail === true && r.props.EnableLogFileValidation === true && r.props.IsLogging !== false;
    });
    return good
      ? ok(`trail ${labelInStack(good)} in ${good.stack.path}: multi-region, log file validation on`)
      : missing('no multi-region trail with log file validation in this app: add one (e.g. SecureAuditTrail), or record here that an organization trail covers the account');
  },
};

const SECRETS_BY_REFERENCE: MitigationSpec = {
  key: 'secrets-by-reference',
  title: 'No environment variable holds a literal secret: secrets are read at run time from Secrets Manager',
  check(t) {
    const variables: Record<string, unknown> = props(t).Environment?.Variables ?? {};
    const leaks = Object.entries(variables).flatMap(([n, v]) => {
      const what = typeof v === 'string' ? detectSecret(n, v) : undefined;
      return what ? [`${n} (${what})`] : [];
    });
    return leaks.length === 0
      ? ok(`${Object.keys(variables).length} environment variable(s), none holds a literal secret`)
      : missing(`move ${leaks.join(', ')} to Secrets Manager and pass the secret's ARN`);
  },
};

const ENVIRONMENT_KEY: MitigationSpec = {
  key: 'environment-customer-key',
  title: 'The environment is encrypted with a customer managed key',
  check(t, { graph }) {
    const p = props(t);
    if (Object.keys(p.Environment?.Variables ?? {}).length === 0) {
      return ok('no environment variables');
    }
    return p.KmsKeyArn !== undefined ? ok(`\`KmsKeyArn\` → ${graph.describe(el(t).resource!.stack, p.KmsKeyArn)}`) : missing('set `KmsKeyArn`: the environment is encrypted with the AWS managed Lambda key');
  },
};

/** Whether an API's stages are throttled, once per API and graph (every function behind it asks). */
const THROTTLED = new WeakMap<FlowGraph, Map<string, boolean>>();
function throttled(api: Element, graph: FlowGraph): boolean {
  let known = THROTTLED.get(graph);
  if (!known) {
    known = new Map();
    THROTTLED.set(graph, known);
  }
  if (!known.has(api.id)) {
    known.set(api.id, STAGE_THROTTLING.check({ element: api }, { graph, assemblyDir: '' }).resolved);
  }
  return known.get(api.id)!;
}

const BOUNDED_CONCURRENCY: MitigationSpec = {
  key: 'bounded-concurrency',
  title: 'Invocations are bounded: reserved concurrency, or every trigger is throttled upstream',
  check(t, { graph }) {
    const p = props(t);
    if (p.ReservedConcurrentExecutions !== undefined) {
      return ok(`\`ReservedConcurrentExecutions: ${p.ReservedConcurrentExecutions}\``);
    }
    const incoming = graph.flowsInto(el(t)).filter((f) => !f.vias.has(FlowVia.IAM) && !f.vias.has(FlowVia.LOGGING));
    const bounded = incoming.filter((f) =>
      (f.vias.has(FlowVia.API) && throttled(f.from, graph))
      || f.deliveries.some((d) => d.via === FlowVia.EVENT_SOURCE_MAPPING && d.resource.props.ScalingConfig?.MaximumConcurrency !== undefined));
    if (incoming.length > 0 && bounded.length === incoming.length) {
      return ok(`every trigger is throttled upstream (${incoming.map((f) => f.from.label).join(', ')})`);
    }
    const unbounded = incoming.filter((f) => !bounded.includes(f)).map((f) => f.from.label).sort();
    return missing(`set \`ReservedConcurrentExecutions\`${unbounded.length > 0 ? `: ${unbounded.join(', ')} can scale it until the account's concurrency is gone` : ''}`);
  },
};

const FAILURE_PATH: MitigationSpec = {
  key: 'failure-path',
  title: 'Deliveries that keep failing land in a dead-letter queue or on-failure destination',
  check(t) {
    const deliveries = t.flow!.deliveries;
    const lost = deliveries.filter((d) => d.failurePath === undefined);
    return lost.length === 0
      ? ok([...new Set(deliveries.map((d) => d.failurePath))].join('; '))
      : missing(`${[...new Set(lost.map((d) => d.via))].join(', ')}: add a dead-letter queue (rule target \`DeadLetterConfig\`, subscription \`RedrivePolicy\`, the queue's \`RedrivePolicy\`, or the function's \`DeadLetterConfig\`)`);
  },
};

const SOURCE_SCOPED_PERMISSION: MitigationSpec = {
  key: 'source-scoped-permission',
  title: 'The invoke permission names its source (SourceArn, and SourceAccount for S3)',
  check(t) {
    const services = t.flow!.permissions.filter((p) => /\.amazonaws\.com(\.cn)?$/.test(p.principal));
    const loose = services.filter((p) => !p.hasSourceArn || (p.principal.startsWith('s3.') && !p.hasSourceAccount));
    return loose.length === 0
      ? ok(services.map((p) => `${labelInStack(p.resource)}: \`SourceArn\`${p.hasSourceAccount ? ' and `SourceAccount`' : ''}`).join('; '))
      : missing(`${loose.map((p) => labelInStack(p.resource)).join(', ')} let any ${loose[0].principal} resource invoke: set \`SourceArn\`${loose.some((p) => p.principal.startsWith('s3.')) ? ' and `SourceAccount`' : ''}`);
  },
};

/** Why a process's permissions cannot be read from the app (its role is imported), or undefined when they can. */
function roleOutsideApp(e: Element, graph: FlowGraph): string | undefined {
  const named = e.resource?.props.Role ?? e.resource?.props.RoleArn;
  if (named === undefined || graph.rolesOf(e).length > 0) {
    return undefined;
  }
  return `its role (${flattenArn(named)}) is not defined in this app: its permissions, and who else uses it, cannot be checked here`;
}

/** The statements of the roles a process acts with. */
function statementsOf(e: Element, graph: FlowGraph) {
  return graph.rolesOf(e).flatMap((role) => graph.statements.get(role) ?? []);
}

/** IAM service prefixes → the resource types of the app their ARNs name. */
const SERVICE_TYPES: Record<string, string[]> = {
  dynamodb: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
  s3: ['AWS::S3::Bucket'],
  sqs: ['AWS::SQS::Queue'],
  sns: ['AWS::SNS::Topic'],
  secretsmanager: ['AWS::SecretsManager::Secret'],
  kinesis: ['AWS::Kinesis::Stream'],
  lambda: ['AWS::Lambda::Function'],
};

/**
 * The app's resources a wildcard statement reaches that the process has no
 * flow to through a named grant: lateral movement beyond its flows.
 */
function storesReachedBeyondGrants(e: Element, actions: string[], patterns: string[], graph: FlowGraph): string[] {
  const services = new Set(patterns.flatMap((p) => {
    const service = /^arn:[^:]*:([^:]+):/.exec(p)?.[1];
    return service ? [service] : p === '*' ? actions.map((a) => (a === '*' ? '*' : a.split(':')[0])) : [];
  }));
  const types = [...services].flatMap((service) => (service === '*' ? Object.values(SERVICE_TYPES).flat() : SERVICE_TYPES[service] ?? []));
  const granted = new Set(graph.flowsOf(e).filter((f) => f.grants.length > 0).flatMap((f) => [f.from.id, f.to.id]));
  return graph.ofType(...types).map((r) => graph.elementOf(r)!).filter((x) => x.id !== e.id && !granted.has(x.id)).map((x) => x.label).sort();
}

const NO_WILDCARDS: MitigationSpec = {
  key: 'no-wildcards',
  title: 'The role names exact actions and resources; `*` only where AWS allows nothing narrower',
  check(t, { graph }) {
    const outside = roleOutsideApp(el(t), graph);
    if (outside) {
      return missing(outside);
    }
    const statements = statementsOf(el(t), graph);
    if (statements.length === 0) {
      return ok('its role has no statements');
    }
    const problems: string[] = [];
    const forced: string[] = [];
    for (const s of statements) {
      if (s.awsManaged) {
        problems.push(`AWS managed policy ${s.policy}`);
        continue;
      }
      if (s.negated) {
        problems.push(`${s.negated} (allows everything else)`);
        continue;
      }
      const wildActions = s.actions.filter((a) => a.includes('*'));
      if (s.wildcardResources.length > 0 && isForcedWildcard(s.actions, s.wildcardResources)) {
        forced.push(...s.actions);
      } else if (s.wildcardResources.length > 0) {
        const beyond = storesReachedBeyondGrants(el(t), s.actions, s.wildcardResources, graph);
        problems.push(`${s.actions.join(', ')} on ${s.wildcardResources.join(', ')}${beyond.length > 0 ? ` (reaches ${beyond.join(', ')} of this app, with no grant of their own)` : ''}`);
      }
      if (wildActions.length > 0) {
        problems.push(`wildcard action(s) ${wildActions.join(', ')}`);
      }
    }
    return problems.length === 0
      ? ok(`${statements.length} statement(s), no wildcard action${forced.length > 0 ? `; \`*\` only for ${[...new Set(forced)].join(', ')} (AWS allows nothing narrower)` : ', no wildcard resource'}`)
      : missing(`narrow ${problems.join('; ')}`);
  },
};

const OWN_ROLE: MitigationSpec = {
  key: 'own-role',
  title: 'The process has a role of its own, shared with no other process',
  check(t, { graph }) {
    const outside = roleOutsideApp(el(t), graph);
    if (outside) {
      return missing(outside);
    }
    const others = graph.rolesOf(el(t)).flatMap((role) => graph.roleUsers.get(role) ?? [])
      .filter((u) => u.kind === ElementKind.PROCESS && u.id !== el(t).id);
    return others.length === 0 ? ok('its role serves it alone') : missing(`its role also serves ${others.map((u) => u.label).join(', ')}: give each function its own role`);
  },
};

const SCOPED_TO_FLOW: MitigationSpec = {
  key: 'access-scoped-to-flow',
  title: 'The function reads only the objects its events name (prefix and suffix), not the whole bucket',
  check(t, { graph }) {
    const flow = t.flow!;
    const buckets = flow.from.noun === 'bucket' ? [flow.from] : graph.flowsInto(flow.from).filter((f) => f.from.noun === 'bucket').map((f) => f.from);
    const filters = new Set(flow.keyFilters.map((k) => `/${k}`));
    const reads = buckets.flatMap((b) => graph.flows.get(`${b.id}->${flow.to.id}`)?.grants ?? []);
    const objectScopes = reads.filter((g) => g.actions.some((a) => a.startsWith('s3:') && actionReads(a))).flatMap((g) => g.scopes).filter((s) => s.startsWith('/'));
    // S3 reads on a wildcard (`*`, `arn:aws:s3:::*`) reach this bucket's objects too.
    const wildReads = statementsOf(flow.to, graph)
      .filter((s) => !s.awsManaged && s.actions.some((a) => (a === '*' || a.startsWith('s3:')) && actionReads(a)))
      .flatMap((s) => s.wildcardResources.filter((r) => r === '*' || r.startsWith('arn:aws:s3:::') || r.startsWith('arn:${AWS::Partition}:s3:::')));
    objectScopes.push(...wildReads);
    const beyond = objectScopes.filter((s) => !filters.has(s));
    if (objectScopes.length === 0) {
      return ok('the function has no object read access to the bucket');
    }
    return beyond.length === 0
      ? ok(`reads only ${[...new Set(objectScopes)].join(', ')}, what its events carry`)
      : missing(`the role reads ${[...new Set(beyond)].join(', ')} but events carry only ${[...filters].join(', ')}: grant \`s3:GetObject\` on those keys alone`);
  },
};

const CURRENT_RUNTIME: MitigationSpec = {
  key: 'current-runtime',
  title: 'The function runs on the newest runtime of its language',
  check(t) {
    const p = props(t);
    if (p.PackageType === 'Image') {
      return missing('a container image: its base image and its age are not in the template; rebuild on a current base image and scan it');
    }
    const runtime = String(p.Runtime ?? '');
    const family = /^[a-z]+/.exec(runtime)?.[0];
    let latest: string | undefined;
    try {
      latest = family ? latestRuntimeOf(family === 'provided' ? 'provided' : family).name : undefined;
    } catch {
      latest = undefined;
    }
    if (!latest) {
      return missing(`runtime ${runtime || 'unset'} is unknown to this aws-cdk-lib: check its deprecation date`);
    }
    return runtime === latest ? ok(`\`Runtime: ${runtime}\`, the newest ${family} runtime aws-cdk-lib knows`) : missing(`\`Runtime: ${runtime}\`: move to ${latest} before it is deprecated (no more security patches)`);
  },
};

const CODE_SIGNING: MitigationSpec = {
  key: 'code-signing',
  title: 'Lambda code signing accepts only code signed by a trusted profile',
  check: (t, { graph }) => (props(t).CodeSigningConfigArn !== undefined
    ? ok(`\`CodeSigningConfigArn\` → ${graph.describe(el(t).resource!.stack, props(t).CodeSigningConfigArn)}`)
    : missing('set a code signing configuration (AWS Signer) so only signed artifacts deploy')),
};

const OWN_LAYERS: MitigationSpec = {
  key: 'own-layers',
  title: 'Layers come from this account (or none are used)',
  check(t) {
    const layers: string[] = [props(t).Layers ?? []].flat().map((l: unknown) => flattenArn(l));
    const account = /^aws:\/\/(\d{12})\//.exec(el(t).resource!.stack.environment)?.[1];
    // A layer of the app (`<LogicalId>`), or an ARN in this account (literal or `${AWS::AccountId}`); anything else is someone else's, or unknown.
    const ours = (l: string) => /^<[^>]+>$/.test(l) || l.includes(':${AWS::AccountId}:') || (account !== undefined && l.includes(`:${account}:layer:`));
    const foreign = layers.filter((l) => !ours(l));
    if (layers.length === 0) {
      return ok('no layers');
    }
    return foreign.length === 0 ? ok(`${layers.length} layer(s), all from this account or this app`)
      : missing(`layers from other (or unknown) accounts run in this function: ${foreign.join(', ')}; vendor them or publish them in your account`);
  },
};

const KNOWN_CONTENTS: MitigationSpec = {
  key: 'sbom',
  title: 'An SBOM lists every package bundled into the function',
  check(t, { assemblyDir }) {
    const { kind, file } = knownContents(assemblyDir, el(t).stackPath ?? '', el(t).label, props(t));
    return kind === 'inline' ? ok('inline code: no packages')
      : kind === 'sbom' ? ok(`\`${file}\` (CycloneDX)`)
        : missing(`contents unknown: no \`${file}\`; bundle the function from its entry (SBOM written at synth), or write a CycloneDX SBOM there`);
  },
};

// ---------------------------------------------------------------- threats

const ENTRY_APIS = typeIs('AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api');
const DISTRIBUTIONS = typeIs('AWS::CloudFront::Distribution');
const REST_APIS = typeIs('AWS::ApiGateway::RestApi');
const FUNCTIONS = typeIs('AWS::Lambda::Function');
const MESSAGE_STORES = typeIs('AWS::SQS::Queue', 'AWS::SNS::Topic');
const BUCKETS = typeIs('AWS::S3::Bucket');

/** The STRIDE-D catalogue. @internal */
export const THREATS: ThreatSpec[] = [
  {
    key: 'unauthenticated-api',
    stride: StrideD.SPOOFING,
    priority: 'High',
    applies: ENTRY_APIS,
    grammar: (t) => ({ source: 'internet-based threat actor', prerequisites: `who can reach ${name(el(t))}`, action: 'call its methods without proving who they are', impact: 'reads and writes by anonymous callers', goals: ['confidentiality', 'integrity'] }),
    mitigations: [METHOD_AUTHORIZATION],
  },
  {
    key: 'unauthenticated-function-url',
    stride: StrideD.SPOOFING,
    priority: 'High',
    applies: typeIs('AWS::Lambda::Url'),
    grammar: (t) => ({ source: 'internet-based threat actor', prerequisites: `who knows the URL ${el(t).label}`, action: 'invoke the function directly, without credentials', impact: 'invocations by anyone', goals: ['confidentiality', 'integrity'] }),
    mitigations: [URL_AUTH],
  },
  {
    key: 'origin-bypass',
    stride: StrideD.SPOOFING,
    priority: 'High',
    applies: (t) => t.flow?.vias.has(FlowVia.ORIGIN) === true,
    grammar: (t) => ({
      source: 'internet-based threat actor',
      prerequisites: `who finds the own endpoint of ${name(t.flow!.to)}`,
      action: `call it directly instead of through ${name(t.flow!.from)}`,
      impact: 'requests that skip the distribution\'s web ACL, geo restriction and headers',
      goals: ['integrity', 'confidentiality'],
    }),
    mitigations: [ORIGIN_LOCKED],
  },
  {
    key: 'forged-messages',
    stride: StrideD.SPOOFING,
    priority: 'High',
    applies: typeIs('AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::Events::EventBus'),
    grammar: (t) => ({ source: 'threat actor in another AWS account', prerequisites: `who owns a resource of a service ${name(el(t))} admits`, action: `make that service deliver forged events to ${name(el(t))} (confused deputy)`, impact: 'forged events processed as genuine', goals: ['integrity'] }),
    mitigations: [SOURCE_SCOPED_SENDERS],
  },
  {
    key: 'stale-secret',
    stride: StrideD.SPOOFING,
    priority: 'Medium',
    applies: typeIs('AWS::SecretsManager::Secret'),
    grammar: (t) => ({ source: 'holder of a leaked credential', prerequisites: `copied from ${name(el(t))} or its users`, action: 'keep using it for as long as it is never replaced', impact: 'impersonation of the app towards the system the secret opens', goals: ['confidentiality', 'integrity'] }),
    mitigations: [ROTATION],
  },
  {
    key: 'web-exploits',
    stride: StrideD.TAMPERING,
    priority: 'High',
    applies: (t) => ENTRY_APIS(t) || DISTRIBUTIONS(t),
    grammar: (t) => ({ source: 'internet-based threat actor', prerequisites: `who can reach ${name(el(t))}`, action: 'send injection payloads, known-bad inputs or exploit probes', impact: 'code paths the functions never meant to run', goals: ['integrity', 'confidentiality'] }),
    mitigations: [WAF_MANAGED_RULES],
  },
  {
    key: 'browser-attacks',
    stride: StrideD.TAMPERING,
    priority: 'Medium',
    applies: DISTRIBUTIONS,
    grammar: (t) => ({
      source: 'malicious site or injected script',
      prerequisites: `in the browser of a viewer of ${name(el(t))}`,
      action: 'frame its pages, make the browser sniff content types or run script from other origins',
      impact: 'clickjacking, cross-site scripting and plain-HTTP visits later',
      goals: ['integrity', 'confidentiality'],
    }),
    mitigations: [SECURITY_HEADERS],
  },
  {
    key: 'malformed-requests',
    stride: StrideD.TAMPERING,
    priority: 'Medium',
    applies: REST_APIS,
    grammar: (t) => ({ source: 'caller of the API', prerequisites: `with access to ${name(el(t))}`, action: 'send request bodies the function does not expect', impact: 'invalid data written to stores, or errors that reveal internals', goals: ['integrity'] }),
    mitigations: [REQUEST_VALIDATION],
  },
  {
    key: 'tampered-messages',
    stride: StrideD.TAMPERING,
    priority: 'Medium',
    applies: MESSAGE_STORES,
    grammar: (t) => ({ source: 'threat actor', prerequisites: `on the network path, or with access to the storage of ${name(el(t))}`, action: 'read or change messages in transit or at rest', impact: 'tampered payloads acted on by consumers', goals: ['integrity', 'confidentiality'] }),
    mitigations: [TLS_ONLY, CUSTOMER_KEY],
  },
  {
    key: 'tampered-objects',
    stride: StrideD.TAMPERING,
    priority: 'Medium',
    applies: BUCKETS,
    grammar: (t) => ({ source: 'principal with write access', prerequisites: `to ${name(el(t))}`, action: 'overwrite or delete objects, or send them over plain HTTP', impact: 'lost or altered objects with no earlier version to go back to', goals: ['integrity', 'availability'] }),
    mitigations: [VERSIONING, TLS_ONLY],
  },
  {
    key: 'tampered-records',
    stride: StrideD.TAMPERING,
    priority: 'Medium',
    applies: typeIs('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'),
    grammar: (t) => ({ source: 'compromised function or operator', prerequisites: `with write access to ${name(el(t))}`, action: 'corrupt or delete items, or the table', impact: 'records that cannot be restored', goals: ['integrity', 'availability'] }),
    mitigations: [POINT_IN_TIME_RECOVERY, DELETION_PROTECTION],
  },
  {
    key: 'untraceable-api-calls',
    stride: StrideD.REPUDIATION,
    priority: 'Medium',
    applies: ENTRY_APIS,
    grammar: (t) => ({ source: 'caller of the API', prerequisites: `of ${name(el(t))}`, action: 'deny having made a request', impact: 'no record of who called what, and when', goals: ['accountability'] }),
    mitigations: [API_ACCESS_LOGS],
  },
  {
    key: 'untraceable-viewer-requests',
    stride: StrideD.REPUDIATION,
    priority: 'Medium',
    applies: DISTRIBUTIONS,
    grammar: (t) => ({ source: 'viewer', prerequisites: `of ${name(el(t))}`, action: 'deny having made a request', impact: 'no record of who requested what, and when', goals: ['accountability'] }),
    mitigations: [DISTRIBUTION_LOGS],
  },
  {
    key: 'untraceable-object-access',
    stride: StrideD.REPUDIATION,
    priority: 'Low',
    applies: (t, graph) => BUCKETS(t) && !graph.ofType('AWS::S3::Bucket').some((b) => graph.targets(b.stack, b.props.LoggingConfiguration?.DestinationBucketName).elements.some((x) => x.id === t.element!.id)),
    grammar: (t) => ({ source: 'principal with access', prerequisites: `to ${name(el(t))}`, action: 'read or change objects and deny it', impact: 'no record of object-level requests', goals: ['accountability'] }),
    mitigations: [BUCKET_ACCESS_LOGS],
  },
  {
    key: 'untraceable-account-changes',
    stride: StrideD.REPUDIATION,
    priority: 'High',
    applies: (t) => t.element?.noun === 'account',
    grammar: (t) => ({ source: 'insider or holder of stolen credentials', prerequisites: `with access to ${el(t).label}`, action: 'change functions, keys, policies or web ACLs outside the pipeline', impact: 'changes no one can attribute or detect', goals: ['accountability', 'integrity'] }),
    mitigations: [CLOUDTRAIL],
  },
  {
    key: 'lost-logs',
    stride: StrideD.REPUDIATION,
    priority: 'Low',
    applies: typeIs('AWS::Logs::LogGroup'),
    grammar: (t) => ({ source: 'investigator', prerequisites: `who needs ${name(el(t))}`, action: 'find logs kept for no set period, or not at all', impact: 'evidence that is gone, or kept forever at growing cost', goals: ['accountability'] }),
    mitigations: [LOG_RETENTION],
  },
  {
    key: 'untraceable-function',
    stride: StrideD.REPUDIATION,
    priority: 'Medium',
    applies: FUNCTIONS,
    grammar: (t) => ({ source: 'investigator', prerequisites: `after an incident in ${name(el(t))}`, action: 'look for its logs', impact: 'logs outside the template, with no retention or key', goals: ['accountability'] }),
    mitigations: [OWN_LOG_GROUP],
  },
  {
    key: 'secrets-in-environment',
    stride: StrideD.INFORMATION_DISCLOSURE,
    priority: 'High',
    applies: FUNCTIONS,
    grammar: (t) => ({ source: 'principal who can read function configuration', prerequisites: `(lambda:GetFunction) of ${name(el(t))}`, action: 'read credentials from its environment variables', impact: 'credentials of downstream systems disclosed', goals: ['confidentiality'] }),
    mitigations: [SECRETS_BY_REFERENCE, ENVIRONMENT_KEY],
  },
  {
    key: 'unencrypted-data',
    stride: StrideD.INFORMATION_DISCLOSURE,
    priority: 'Medium',
    applies: (t) => t.element?.kind === ElementKind.STORE || BUCKETS(t),
    grammar: (t) => ({ source: 'principal with storage-level access', prerequisites: `to ${name(el(t))}, or an AWS-side read`, action: 'read the data without any key policy of yours allowing it', impact: 'data disclosed with no KMS record of who decrypted it', goals: ['confidentiality'] }),
    mitigations: [CUSTOMER_KEY],
  },
  {
    key: 'weak-viewer-tls',
    stride: StrideD.INFORMATION_DISCLOSURE,
    priority: 'High',
    applies: DISTRIBUTIONS,
    grammar: (t) => ({
      source: 'network attacker',
      prerequisites: `between a viewer and ${name(el(t))}`,
      action: 'read or change traffic sent over plain HTTP or an outdated TLS version',
      impact: 'sessions and data disclosed or altered in transit',
      goals: ['confidentiality', 'integrity'],
    }),
    mitigations: [VIEWER_HTTPS, VIEWER_TLS],
  },
  {
    key: 'public-bucket',
    stride: StrideD.INFORMATION_DISCLOSURE,
    priority: 'High',
    applies: BUCKETS,
    grammar: (t) => ({ source: 'internet-based threat actor', prerequisites: `if a policy or ACL on ${name(el(t))} is ever made public`, action: 'list and download its objects', impact: 'bulk disclosure of stored objects', goals: ['confidentiality'] }),
    mitigations: [PUBLIC_ACCESS_BLOCK],
  },
  {
    key: 'payloads-in-logs',
    stride: StrideD.INFORMATION_DISCLOSURE,
    priority: 'Medium',
    applies: (t) => REST_APIS(t) || FUNCTIONS(t),
    grammar: (t) => ({ source: 'principal with read access to logs', prerequisites: `of ${name(el(t))}`, action: 'read request and response payloads written to logs', impact: 'personal or secret data disclosed through logs', goals: ['confidentiality'] }),
    mitigations: [], // chosen per element type below
  },
  {
    key: 'request-flood',
    stride: StrideD.DENIAL_OF_SERVICE,
    priority: 'High',
    applies: (t) => ENTRY_APIS(t) || DISTRIBUTIONS(t),
    grammar: (t) => ({ source: 'internet-based threat actor', prerequisites: `who can reach ${name(el(t))}`, action: 'flood it with requests from one or many sources', impact: 'unavailability for real callers and an unbounded bill', goals: ['availability'] }),
    mitigations: [STAGE_THROTTLING, WAF_RATE_RULE],
  },
  {
    key: 'concurrency-exhaustion',
    stride: StrideD.DENIAL_OF_SERVICE,
    priority: 'Medium',
    applies: FUNCTIONS,
    grammar: (t) => ({ source: 'burst of events', prerequisites: `that trigger ${name(el(t))}`, action: 'scale it until it takes the account\'s concurrency', impact: 'every other function of the account throttled, and cost', goals: ['availability'] }),
    mitigations: [BOUNDED_CONCURRENCY],
  },
  {
    key: 'lost-events',
    stride: StrideD.DENIAL_OF_SERVICE,
    priority: 'Medium',
    applies: (t) => (t.flow?.deliveries.length ?? 0) > 0,
    grammar: (t) => ({ source: 'downstream failure or poison message', prerequisites: `on the flow ${flowName(t.flow!)}`, action: 'make deliveries fail until retries run out', impact: 'events dropped with no copy to replay', goals: ['availability', 'integrity'] }),
    mitigations: [FAILURE_PATH],
  },
  {
    key: 'forged-invocation',
    stride: StrideD.SPOOFING,
    priority: 'High',
    applies: (t) => (t.flow?.permissions ?? []).some((p) => /\.amazonaws\.com(\.cn)?$/.test(p.principal)),
    grammar: (t) => ({ source: 'threat actor in another AWS account', prerequisites: `who owns a resource of the service that invokes ${t.flow!.to.label}`, action: `make that service invoke ${t.flow!.to.label} with forged events`, impact: 'forged events processed as genuine', goals: ['integrity'] }),
    mitigations: [SOURCE_SCOPED_PERMISSION],
  },
  {
    key: 'over-privileged-role',
    stride: StrideD.ELEVATION_OF_PRIVILEGE,
    priority: 'High',
    applies: (t) => t.element?.kind === ElementKind.PROCESS,
    grammar: (t) => ({ source: 'attacker who runs code in the function', prerequisites: `through a flaw in ${name(el(t))} or its dependencies`, action: 'use its role\'s wildcard permissions on resources beyond its job', impact: 'lateral movement to other stores and services', goals: ['confidentiality', 'integrity'] }),
    mitigations: [NO_WILDCARDS],
  },
  {
    key: 'shared-role',
    stride: StrideD.ELEVATION_OF_PRIVILEGE,
    priority: 'Medium',
    applies: (t) => t.element?.kind === ElementKind.PROCESS,
    grammar: (t) => ({ source: 'attacker who runs code in the function', prerequisites: `through a flaw in ${name(el(t))}`, action: 'use permissions granted for other functions that share its role', impact: 'access to every store any of them reaches', goals: ['confidentiality', 'integrity'] }),
    mitigations: [OWN_ROLE],
  },
  {
    key: 'access-beyond-flow',
    stride: StrideD.ELEVATION_OF_PRIVILEGE,
    priority: 'Medium',
    applies: (t) => t.flow !== undefined && t.flow.keyFilters.length > 0 && t.flow.to.kind === ElementKind.PROCESS,
    grammar: (t) => ({ source: 'attacker who runs code in the function', prerequisites: `through a crafted object on the flow ${flowName(t.flow!)}`, action: 'read objects outside the keys its events carry', impact: 'disclosure of the rest of the bucket', goals: ['confidentiality'] }),
    mitigations: [SCOPED_TO_FLOW],
  },
  {
    key: 'outdated-runtime',
    stride: StrideD.DEPENDENCIES,
    priority: 'Medium',
    applies: FUNCTIONS,
    grammar: (t) => ({ source: 'attacker', prerequisites: `who knows a flaw in the language runtime of ${name(el(t))}`, action: 'exploit a runtime that no longer gets the newest fixes', impact: 'code execution in the function', goals: ['integrity', 'confidentiality'] }),
    mitigations: [CURRENT_RUNTIME],
  },
  {
    key: 'unsigned-code',
    stride: StrideD.DEPENDENCIES,
    priority: 'Low',
    applies: FUNCTIONS,
    grammar: (t) => ({ source: 'attacker in the build or deploy path', prerequisites: `of ${name(el(t))}`, action: 'deploy a modified artifact', impact: 'code no one reviewed running with the function\'s role', goals: ['integrity'] }),
    mitigations: [CODE_SIGNING],
  },
  {
    key: 'foreign-layers',
    stride: StrideD.DEPENDENCIES,
    priority: 'Medium',
    applies: FUNCTIONS,
    grammar: (t) => ({ source: 'owner of a layer in another account', prerequisites: `that ${name(el(t))} loads`, action: 'publish a layer version with malicious code', impact: 'their code running with the function\'s role', goals: ['integrity', 'confidentiality'] }),
    mitigations: [OWN_LAYERS],
  },
  {
    key: 'unknown-bundle',
    stride: StrideD.DEPENDENCIES,
    priority: 'Medium',
    applies: FUNCTIONS,
    grammar: (t) => ({ source: 'attacker', prerequisites: `who knows a vulnerable package version (Log4Shell-like) inside ${name(el(t))}`, action: 'exploit it while no one knows the package is deployed', impact: 'code execution in the function', goals: ['integrity', 'confidentiality'] }),
    mitigations: [KNOWN_CONTENTS],
  },
];

/** The mitigations of a threat on a target (payload logging depends on the element type). @internal */
export function mitigationsFor(threat: ThreatSpec, target: Target): MitigationSpec[] {
  if (threat.key === 'payloads-in-logs') {
    return REST_APIS(target) ? [API_NO_DATA_TRACE] : [FUNCTION_LOG_LEVEL];
  }
  if (threat.key === 'request-flood' && DISTRIBUTIONS(target)) {
    // A distribution has no stage: its web ACL's rate rule is what throttles.
    return [WAF_RATE_RULE];
  }
  return threat.mitigations;
}

/** `aws://123456789012/eu-west-1` → the account pseudo-element's id. @internal */
export function accountId(environment: string): string {
  return `ext:account:${environment}`;
}


