import { Duration, Lazy, Names, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ApiAuthorization } from './authorization';
import { checkCors, DEFAULT_CORS_MAX_AGE, preflightOptions, SecureApiCorsOptions } from './cors';
import { ACCESS_LOG_PREFIX, apiGatewayAccountLogging, EXECUTION_LOG_PREFIX } from './private/account-logging';
import { checkParameterLevels, HttpMethod, parseRoute, routeRequestParameters } from './route';
import { associateWebAcl, SecureWebAcl, WebAclScope } from './secure-web-acl';
import { StackKey } from '../core/encryption';
import { ProblemCollector, received } from '../core/errors';
import { acknowledge, AcknowledgementCause, recordOptOut } from '../core/justification';
import { checkLogRetention, createSecureLogGroup, DEFAULT_LOG_RETENTION } from '../core/log-group';
import { RULES } from '../core/nag-rule-ids';
import { guardedProps, SecuredProp } from '../core/private/construction';
import {
  requireDuration, requireEnumValue, requireInstanceOf, requireInterface, requireNonEmptyString, requireNumber,
  requireOptionalBoolean, requireOptionalMap,
  requireOptionalNonEmptyString, requireOptionalString, requireOptionalStringArray, requireProps, requireStruct, shown,
} from '../core/private/input-checks';
import { allowServiceToInvoke } from '../core/private/invoke-permission';
import { readProfile, SecurityProfile } from '../core/profile';
import { AlarmConfig, AlarmSetting, checkAlarmSettings, ConstructAlarm, SPIKE_ALARM_DEFAULTS } from '../monitoring/alarm-setting';
import { applyAlarms, describeWindow, Monitoring } from '../monitoring/monitoring';

/** Stage-wide throttling unless told otherwise: requests per second, and the burst above it. */
export const DEFAULT_THROTTLING: ApiThrottling = Object.freeze({ rateLimit: 100, burstLimit: 200 });
/** The stage name unless told otherwise. */
export const DEFAULT_STAGE_NAME = 'prod';
/** Headers every API Gateway error response carries. */
export const SECURITY_RESPONSE_HEADERS: { [header: string]: string } = Object.freeze({
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
});
/** Size of the encrypted stage cache under REGULATED (the smallest API Gateway offers). */
export const REGULATED_CACHE_SIZE = '0.5';

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const DOMAIN_NAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const BASE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Token-bucket throttling of API requests. */
export interface ApiThrottling {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Requests allowed in a burst above the rate; at least `rateLimit`. */
  readonly burstLimit: number;
}

/** A custom domain for a `SecureApi`. */
export interface SecureApiDomainOptions {
  /** The domain name, e.g. `api.example.com`. */
  readonly domainName: string;

  /** An ACM certificate for `domainName`, in the stack's region. */
  readonly certificate: acm.ICertificate;

  /**
   * The path under the domain that maps to the API.
   *
   * @default - the domain's root
   */
  readonly basePath?: string;

  /**
   * The TLS policy. `TLS_1_0` is refused; the enhanced `SecurityPolicy_TLS13_*`
   * policies are used in STRICT endpoint access mode.
   *
   * @default apigateway.SecurityPolicy.TLS_1_2
   */
  readonly securityPolicy?: apigateway.SecurityPolicy;
}

/** Props of {@link SecureApi}. */
export interface SecureApiProps {
  /**
   * The API's name in API Gateway.
   *
   * @default - a name unique in the app, derived from the construct path
   */
  readonly restApiName?: string;

  /**
   * A description of the API.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * How every route is authorized unless the route says otherwise.
   *
   * @default ApiAuthorization.iam()
   */
  readonly authorization?: ApiAuthorization;

  /**
   * Stage-wide throttling; routes may override it.
   *
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttling?: ApiThrottling;

  /**
   * The web ACL protecting the stage. Pass one `SecureWebAcl` to several APIs to share it.
   *
   * @default - a new `SecureWebAcl` with its defaults
   */
  readonly webAcl?: SecureWebAcl;

  /**
   * The ARN of a regional web ACL managed elsewhere (by a platform team, or
   * one Firewall Manager does not associate itself) to associate with the
   * stage instead of a `SecureWebAcl`. Its rules and logging are its owner's.
   *
   * @default - a new `SecureWebAcl` (see `webAcl`)
   */
  readonly existingWebAclArn?: string;

  /**
   * A custom domain (TLS 1.2 or newer). With it, the default `execute-api`
   * endpoint is turned off so the domain is the only way in.
   *
   * @default - the default `execute-api` endpoint only
   */
  readonly customDomain?: SecureApiDomainOptions;

  /**
   * Cross-origin access for browsers, for the listed origins only.
   *
   * @default - off
   */
  readonly cors?: SecureApiCorsOptions;

  /**
   * Retention of the API's log groups: access and execution logs, and the WAF
   * logs of the web ACL this API creates. Must be bounded; at least one year
   * under REGULATED.
   *
   * @default - 3 months (BASELINE), 1 year (REGULATED)
   */
  readonly accessLogRetention?: logs.RetentionDays;

  /**
   * Key encrypting the access and execution logs (and the WAF logs of the
   * web ACL this API creates).
   *
   * @default - the customer-managed KMS key shared by the stack (`StackKey.of(this)`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The stage name: letters, digits, `-` and `_`.
   *
   * @default 'prod'
   */
  readonly stageName?: string;

  /**
   * Set API Gateway's account-level CloudWatch role (once per stack) with a
   * role scoped to REST API log groups. Execution and access logging need
   * the account setting; turn this off only when your platform already sets it.
   *
   * @default true
   */
  readonly configureAccountLogging?: boolean;

  /**
   * Alarm on server errors; threshold: 5XX responses as a percentage of
   * requests (Average of `5XXError`). Turning it off needs a reason.
   *
   * @default - on: above 5% in 3 of 5 one-minute periods
   */
  readonly serverErrorsAlarm?: AlarmSetting;

  /**
   * Anomaly-detection alarm on the request count (Sum of `Count`): an
   * unusual spike, e.g. scraping or an attack starting. Threshold: the band
   * width in standard deviations. Turning it off needs a reason.
   *
   * @default - on: above a 3-standard-deviation band in 2 of 3 five-minute periods
   */
  readonly requestSpikeAlarm?: AlarmSetting;

  /**
   * Alarm on latency; threshold: p90 `Latency` in milliseconds.
   *
   * @default - off; `AlarmSetting.on()`: p90 above 2500 ms in 3 of 5 one-minute periods
   */
  readonly latencyAlarm?: AlarmSetting;
}

/** The alarms of {@link SecureApi} and their defaults. @internal */
export const API_ALARMS: Record<'serverErrorsAlarm' | 'requestSpikeAlarm' | 'latencyAlarm', ConstructAlarm<apigateway.Stage>> = {
  serverErrorsAlarm: {
    id: 'ServerErrorsAlarm',
    metric: (stage) => stage.metricServerError({ statistic: 'Average' }),
    // The user gives a percentage; CloudWatch compares the average of 0/1 per request.
    toMetricThreshold: (percent) => percent / 100,
    describe: (c) => `more than ${c.threshold}% of requests answered 5XX in ${describeWindow(c)}`,
    onByDefault: true,
    threshold: 5,
    minThreshold: 0,
    maxThreshold: 100,
    thresholdUnit: '% of requests answered 5XX',
    period: Duration.minutes(1),
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
  },
  requestSpikeAlarm: {
    ...SPIKE_ALARM_DEFAULTS,
    id: 'RequestSpikeAlarm',
    anomalyDetection: true,
    metric: (stage) => stage.metricCount({ statistic: 'Sum' }),
    describe: (c) => `request count above its ${c.threshold}-standard-deviation anomaly band in ${describeWindow(c)}`,
  },
  latencyAlarm: {
    id: 'LatencyAlarm',
    metric: (stage) => stage.metricLatency({ statistic: 'p90' }),
    describe: (c) => `p90 latency above ${c.threshold} ms in ${describeWindow(c)}`,
    onByDefault: false,
    threshold: 2500,
    minThreshold: 1,
    maxThreshold: 29000,
    thresholdUnit: 'p90 latency, ms',
    period: Duration.minutes(1),
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
  },
};

/** Options of {@link SecureApi.addRoute}. */
export interface SecureRouteOptions {
  /**
   * JSON schema (draft 4) the request body must match. It is checked for
   * every content type, so a caller cannot skip it by changing `Content-Type`.
   *
   * @default - the body is not checked
   */
  readonly requestSchema?: apigateway.JsonSchema;

  /**
   * Request parameters and whether each is required, e.g.
   * `{ 'method.request.querystring.page': false }`. Path parameters of the
   * route are added, required, without listing them.
   *
   * @default - the route's path parameters only
   */
  readonly requestParameters?: { [name: string]: boolean };

  /**
   * How the route is authorized.
   *
   * @default - the API's `authorization`
   */
  readonly authorization?: ApiAuthorization;

  /**
   * Throttling of this route, in place of the stage's.
   *
   * @default - the API's `throttling`
   */
  readonly throttling?: ApiThrottling;

  /**
   * Whether callers must also send an API key of one of the API's usage plans.
   *
   * @default false
   */
  readonly apiKeyRequired?: boolean;
}

/** Options of {@link SecureApi.addUsagePlan}. */
export interface SecureUsagePlanOptions {
  /**
   * A description of the plan.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Throttling of each API key of the plan.
   *
   * @default - the API's `throttling`
   */
  readonly throttling?: ApiThrottling;

  /**
   * How many requests each key may make per period.
   *
   * @default - no quota
   */
  readonly quota?: apigateway.QuotaSettings;
}

/** Options of {@link SecureApi.addApiKey}. */
export interface SecureApiKeyOptions {
  /**
   * A description of the key (who it is for).
   *
   * @default - none
   */
  readonly description?: string;
}

const REST_API_BASE = { name: 'apigateway.RestApi', injectionId: apigateway.RestApi.PROPERTY_INJECTION_ID };
/** Construct id of the CfnOutput aws-cdk-lib's RestApi adds with its execute-api URL. */
const REST_API_ENDPOINT_OUTPUT_ID = 'Endpoint';

/** The props SecureApi secures on its apigateway.RestApi, and what to do instead of injecting them. */
const SECURED_REST_API_PROPS: { [prop: string]: SecuredProp } = {
  deploy: { instead: 'SecureApi deploys its own stage' },
  deployOptions: { instead: 'SecureApi configures its stage (throttling, logging, tracing); use `throttling`, `logRetention` and the alarm props' },
  cloudWatchRole: { instead: 'SecureApi sets the account CloudWatch role once per stack; see `configureAccountLogging`' },
  endpointConfiguration: { instead: 'SecureApi is a regional API' },
  disableExecuteApiEndpoint: { instead: 'SecureApi disables the execute-api endpoint when it has a custom domain' },
  defaultMethodOptions: { instead: 'SecureApi requires IAM authorization by default; choose per route with `authorization`' },
  defaultCorsPreflightOptions: { instead: 'configure CORS with `cors`' },
  policy: { instead: 'SecureApi does not take a resource policy from an injector' },
};

/**
 * A regional API Gateway REST API that is safe before its first route: every
 * method authorized (IAM by default), requests validated, a WAF web ACL with
 * rate limiting, stage throttling, encrypted JSON access logs, execution
 * logs without payloads, X-Ray tracing and security headers on error
 * responses. Routes invoke Lambda functions with permissions scoped to the
 * exact method and path.
 *
 * @example
 * const api = new SecureApi(this, 'Api');
 * api.addRoute(HttpMethod.POST, '/orders', ordersFn, { requestSchema });
 * api.addRoute(HttpMethod.GET, '/health', healthFn, {
 *   authorization: ApiAuthorization.none({ reason: 'load balancer health probe, returns no data' }),
 * });
 */
export class SecureApi extends Construct {
  /** How long browsers may cache a preflight answer unless told otherwise. */
  public static readonly DEFAULT_CORS_MAX_AGE: Duration = DEFAULT_CORS_MAX_AGE;

  /** Stage-wide throttling unless told otherwise: requests per second, and the burst above it. */
  public static readonly DEFAULT_THROTTLING: ApiThrottling = DEFAULT_THROTTLING;

  /** The stage name unless told otherwise. */
  public static readonly DEFAULT_STAGE_NAME: string = DEFAULT_STAGE_NAME;

  /** Headers every API Gateway error response carries. */
  public static readonly SECURITY_RESPONSE_HEADERS: { [header: string]: string } = SECURITY_RESPONSE_HEADERS;

  /** Size of the encrypted stage cache under REGULATED (the smallest API Gateway offers). */
  public static readonly REGULATED_CACHE_SIZE: string = REGULATED_CACHE_SIZE;

  /** The REST API. */
  public readonly restApi: apigateway.RestApi;
  /** The stage that serves the API. */
  public readonly stage: apigateway.Stage;
  /** The web ACL protecting the stage, unless `existingWebAclArn` was given. */
  public readonly webAcl?: SecureWebAcl;
  /** The ARN of the web ACL protecting the stage. */
  public readonly webAclArn: string;
  /** The URL callers use: the custom domain when there is one, else the stage's `execute-api` URL. */
  public readonly url: string;
  /** The access log group (JSON, one entry per request). */
  public readonly accessLogGroup: logs.ILogGroup;
  /** The execution log group (errors, no payloads). */
  public readonly executionLogGroup: logs.ILogGroup;
  /** The custom domain, when one was given. */
  public readonly domainName?: apigateway.DomainName;
  /** The alarm on 5XX responses, unless turned off. */
  public readonly serverErrorsAlarm?: cloudwatch.IAlarm;
  /** The anomaly-detection alarm on the request count, unless turned off. */
  public readonly requestSpikeAlarm?: cloudwatch.IAlarm;
  /** The alarm on p90 latency, when turned on. */
  public readonly latencyAlarm?: cloudwatch.IAlarm;

  private readonly defaultAuthorization: ApiAuthorization;
  private readonly throttling: ApiThrottling;
  private readonly profile: SecurityProfile;
  private readonly requestValidator: apigateway.RequestValidator;
  private readonly corsEnabled: boolean;
  private readonly routes = new Map<string, SecureRouteOptions>();
  private readonly parameterLevels = new Map<string, string>();
  private readonly routeSettings: apigateway.CfnStage.MethodSettingProperty[] = [];
  private usagePlans = 0;

  constructor(scope: Construct, id: string, props: SecureApiProps = {}) {
    super(scope, id);
    const profile = readProfile(this);
    this.profile = profile;
    const alarms = checkProps(this, props, profile);

    const key = props.encryptionKey ?? StackKey.of(this);
    const retention = props.accessLogRetention ?? DEFAULT_LOG_RETENTION[profile];
    const stageName = props.stageName ?? DEFAULT_STAGE_NAME;
    const regulated = profile === SecurityProfile.REGULATED;
    this.defaultAuthorization = props.authorization ?? ApiAuthorization.iam();
    this.throttling = props.throttling ?? DEFAULT_THROTTLING;
    this.corsEnabled = props.cors !== undefined;

    let accessLogGroup: logs.LogGroup | undefined;
    const clientCertificate = regulated
      ? new apigateway.CfnClientCertificate(this, 'ClientCertificate', {
        description: `cdk-aegis: identifies ${this.node.path} to HTTP backends`,
      })
      : undefined;

    this.restApi = new apigateway.RestApi(this, 'Resource', guardedProps(this, 'Resource', 'SecureApi', REST_API_BASE, {
      restApiName: props.restApiName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' }),
      description: props.description,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: false,
      disableExecuteApiEndpoint: props.customDomain !== undefined,
      defaultCorsPreflightOptions: props.cors ? preflightOptions(props.cors) : undefined,
      // Methods added through the `restApi` escape hatch are IAM-authorized too.
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
      deployOptions: {
        stageName,
        tracingEnabled: true,
        // The access log group's name carries the API id: create it when the stage binds it. The RestApi, still under
        // construction, is the stage's parent (the stage has no `restApi` yet while it binds).
        accessLogDestination: {
          bind: (stage: apigateway.IStage) => {
            const restApiId = (stage.node.scope as apigateway.IRestApi).restApiId;
            accessLogGroup = createSecureLogGroup(this, 'AccessLogs', {
              encryptionKey: key,
              retention,
              logGroupName: `${ACCESS_LOG_PREFIX}${restApiId}/${stageName}`,
            });
            return { destinationArn: accessLogGroup.logGroupArn };
          },
        },
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        cacheClusterEnabled: regulated ? true : undefined,
        cacheClusterSize: regulated ? REGULATED_CACHE_SIZE : undefined,
        clientCertificateId: clientCertificate?.ref,
      },
    }, SECURED_REST_API_PROPS));
    this.stage = this.restApi.deploymentStage;
    this.accessLogGroup = accessLogGroup!;
    this.executionLogGroup = createSecureLogGroup(this, 'ExecutionLogs', {
      encryptionKey: key,
      retention,
      logGroupName: `${EXECUTION_LOG_PREFIX}${this.restApi.restApiId}/${stageName}`,
    });
    // API Gateway creates the execution log group itself (unencrypted, kept forever) unless it exists first.
    this.stage.node.addDependency(this.executionLogGroup);
    (this.stage.node.defaultChild as apigateway.CfnStage).methodSettings = Lazy.any({
      produce: () => [this.methodSetting('*', '/*', this.throttling), ...this.routeSettings],
    });
    if (props.configureAccountLogging ?? true) {
      this.stage.node.addDependency(apiGatewayAccountLogging(this).account);
    }

    this.requestValidator = this.restApi.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.addSecurityHeaders(props.cors);

    if (props.existingWebAclArn !== undefined) {
      this.webAclArn = props.existingWebAclArn;
      new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { webAclArn: props.existingWebAclArn, resourceArn: this.stage.stageArn });
    } else {
      this.webAcl = props.webAcl ?? new SecureWebAcl(this, 'WebAcl', { encryptionKey: props.encryptionKey, logRetention: props.accessLogRetention });
      this.webAclArn = this.webAcl.webAclArn;
      associateWebAcl(this.webAcl, this, 'WebAclAssociation', this.stage.stageArn);
    }

    if (props.customDomain) {
      const policy = props.customDomain.securityPolicy ?? apigateway.SecurityPolicy.TLS_1_2;
      this.domainName = new apigateway.DomainName(this, 'CustomDomain', {
        domainName: props.customDomain.domainName,
        certificate: props.customDomain.certificate,
        endpointType: apigateway.EndpointType.REGIONAL,
        securityPolicy: policy,
        endpointAccessMode: isEnhancedPolicy(policy) ? apigateway.EndpointAccessMode.STRICT : undefined,
        mapping: this.restApi,
        basePath: props.customDomain.basePath,
      });
      // The execute-api URL the RestApi always prints as an output (no prop turns it off) is switched off.
      this.restApi.node.tryRemoveChild(REST_API_ENDPOINT_OUTPUT_ID);
      this.url = `https://${props.customDomain.domainName}/${props.customDomain.basePath ? `${props.customDomain.basePath}/` : ''}`;
    } else {
      this.url = this.restApi.url;
    }

    const created = this.createAlarms(props, alarms);
    this.serverErrorsAlarm = created.serverErrorsAlarm;
    this.requestSpikeAlarm = created.requestSpikeAlarm;
    this.latencyAlarm = created.latencyAlarm;

    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        if (this.routes.size === 0) {
          errors.push(`[cdk-aegis] ${this.node.path}: the API has no route; add one with \`addRoute(method, path, handler)\`.`);
        }
        const keyed = [...this.routes].filter(([, options]) => options.apiKeyRequired).map(([route]) => route);
        if (keyed.length > 0 && this.usagePlans === 0) {
          errors.push(
            `[cdk-aegis] ${this.node.path}: ${keyed.join(', ')} require an API key but the API has no usage plan; ` +
              'add one with `addUsagePlan()` and give it keys with `addApiKey()`.',
          );
        }
        return errors;
      },
    });
  }

  /**
   * Routes `method` `path` to `handler` (Lambda proxy integration). The
   * method is authorized (the API's authorization unless `options` says
   * otherwise), validated, and may invoke `handler` through a permission
   * scoped to exactly this stage, method and path, from this account.
   *
   * @param method the HTTP method, e.g. `HttpMethod.GET` (`ANY` matches every method)
   * @param path the resource path, starting with `/`, e.g. `/orders/{id}`
   * @param handler the function that handles the requests
   */
  public addRoute(method: HttpMethod, path: string, handler: lambda.IFunction, options: SecureRouteOptions = {}): apigateway.Method {
    // Untyped callers may pass a string; lower case is forgiven.
    const httpMethod = typeof method === 'string' ? (method as string).toUpperCase() : method;
    const routeKey = `${httpMethod} ${path}`;
    const problems = new ProblemCollector(this);
    requireInterface(problems, 'handler', handler, 'functionArn', 'a lambda.IFunction, e.g. a SecureFunction', true);
    const typesOk = checkRouteOptionTypes(problems, options);
    const route = parseRoute(problems, httpMethod, path);
    problems.require(!this.routes.has(routeKey), `route ${received(routeKey)} is already defined on this API; each method and path once.`);
    problems.require(
      !(this.corsEnabled && httpMethod === 'OPTIONS'),
      `route ${received(routeKey)} clashes with the CORS preflight, which answers OPTIONS on every path; drop the route or \`cors\`.`,
    );
    const levels = checkParameterLevels(problems, path, this.parameterLevels);
    const requestParameters = routeRequestParameters(problems, route, options.requestParameters);
    const authorization = options.authorization ?? this.defaultAuthorization;
    if (typesOk) {
      authorization._check(problems, 'options.authorization');
    }
    if (typesOk && options.throttling) {
      checkThrottling(problems, 'options.throttling', options.throttling);
    }
    problems.throwIfAny();
    this.routes.set(routeKey, options);
    levels.forEach((segment, prefix) => this.parameterLevels.set(prefix, segment));

    const resource = this.restApi.root.resourceForPath(path);
    const bound = authorization._bind(this, this.restApi);
    // Tokens a Lambda authorizer reads never reach the WAF logs.
    for (const source of bound.identitySources) {
      const header = /^method\.request\.(header|multivalueheader)\.(.+)$/.exec(source);
      if (header) {
        this.webAcl?.redactHeader(header[2]);
      }
    }
    const model = options.requestSchema
      ? new apigateway.Model(resource, `${httpMethod}RequestModel`, {
        restApi: this.restApi,
        contentType: 'application/json',
        schema: options.requestSchema,
        description: `Request body of ${routeKey}`,
      })
      : undefined;
    const apiMethod = resource.addMethod(
      httpMethod,
      new apigateway.AwsIntegration({
        proxy: true,
        service: 'lambda',
        path: `2015-03-31/functions/${handler.functionArn}/invocations`,
      }),
      {
        authorizationType: bound.authorizationType,
        authorizer: bound.authorizer,
        authorizationScopes: bound.authorizationScopes,
        apiKeyRequired: options.apiKeyRequired ?? false,
        requestValidator: this.requestValidator,
        requestModels: model ? { 'application/json': model, '$default': model } : undefined,
        requestParameters,
      },
    );
    allowServiceToInvoke(handler, 'apigateway.amazonaws.com', this.restApi.arnForExecuteApi(route.arnMethod, route.arnPath, this.stage.stageName), apiMethod);

    if (authorization.authorizationType === apigateway.AuthorizationType.NONE) {
      recordOptOut(apiMethod, 'authorization', authorization.justification!, RULES.apiAuthorization);
    } else if (authorization.authorizationType !== apigateway.AuthorizationType.COGNITO) {
      acknowledge(
        apiMethod,
        AcknowledgementCause.RULE_DEFECT,
        RULES.cognitoAuthorizerOnly,
        `the method is authorized with ${authorization.authorizationType === apigateway.AuthorizationType.IAM ? 'AWS IAM (SigV4-signed requests)' : 'a Lambda authorizer'}; ` +
          'the rule accepts only Cognito user-pool authorizers',
      );
    }
    if (options.throttling) {
      this.routeSettings.push(this.methodSetting(route.arnMethod, route.settingsPath, options.throttling));
    }
    return apiMethod;
  }

  /**
   * Adds a usage plan for partner access with API keys, on this API's stage.
   */
  public addUsagePlan(id: string, options: SecureUsagePlanOptions = {}): apigateway.UsagePlan {
    const problems = new ProblemCollector(this, id);
    const throttling = options.throttling ?? this.throttling;
    checkThrottling(problems, 'throttling', throttling);
    problems.throwIfAny();
    this.usagePlans += 1;
    return new apigateway.UsagePlan(this, id, {
      description: options.description,
      apiStages: [{ api: this.restApi, stage: this.stage }],
      throttle: { rateLimit: throttling.rateLimit, burstLimit: throttling.burstLimit },
      quota: options.quota,
    });
  }

  /**
   * Adds an API key to `usagePlan`. API Gateway generates the key's value, so
   * it never appears in the template; read it with
   * `aws apigateway get-api-key --include-value`.
   */
  public addApiKey(id: string, usagePlan: apigateway.IUsagePlan, options: SecureApiKeyOptions = {}): apigateway.IApiKey {
    const apiKey = new apigateway.ApiKey(this, id, { description: options.description, enabled: true });
    usagePlan.addApiKey(apiKey);
    return apiKey;
  }

  private methodSetting(httpMethod: string, resourcePath: string, throttling: ApiThrottling): apigateway.CfnStage.MethodSettingProperty {
    const regulated = this.profile === SecurityProfile.REGULATED;
    return {
      httpMethod,
      resourcePath,
      loggingLevel: apigateway.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      metricsEnabled: true,
      throttlingRateLimit: throttling.rateLimit,
      throttlingBurstLimit: throttling.burstLimit,
      // REGULATED: the packs want the cache on and encrypted; a TTL of 0 keeps
      // one caller's response from being served to another.
      cachingEnabled: regulated ? true : undefined,
      cacheDataEncrypted: regulated ? true : undefined,
      cacheTtlInSeconds: regulated ? 0 : undefined,
    };
  }

  private createAlarms(props: SecureApiProps, alarms: ApiAlarmConfigs): { [P in keyof ApiAlarmConfigs]?: cloudwatch.IAlarm } {
    const created = applyAlarms(this, this.stage, props, API_ALARMS, alarms);
    Monitoring.of(this)._addWidgets(() => [
      new cloudwatch.GraphWidget({
        title: `${this.node.path}: requests`,
        width: 12,
        left: [this.stage.metricCount({ statistic: 'Sum', period: Duration.minutes(1) })],
        right: [this.stage.metricClientError({ statistic: 'Sum', period: Duration.minutes(1) }), this.stage.metricServerError({ statistic: 'Sum', period: Duration.minutes(1) })],
      }),
      new cloudwatch.GraphWidget({
        title: `${this.node.path}: latency`,
        width: 12,
        left: [this.stage.metricLatency({ statistic: 'p90', period: Duration.minutes(1) }), this.stage.metricIntegrationLatency({ statistic: 'p90', period: Duration.minutes(1) })],
      }),
    ]);
    return created;
  }

  private addSecurityHeaders(cors: SecureApiCorsOptions | undefined): void {
    const headers: { [header: string]: string } = {};
    for (const [name, value] of Object.entries(SECURITY_RESPONSE_HEADERS)) {
      headers[name] = `'${value}'`;
    }
    // With one origin, error responses can carry it too, so browsers show the error.
    if (cors && cors.allowOrigins.length === 1) {
      headers['Access-Control-Allow-Origin'] = `'${cors.allowOrigins[0]}'`;
      headers.Vary = "'Origin'";
      if (cors.allowCredentials) {
        headers['Access-Control-Allow-Credentials'] = "'true'";
      }
    }
    this.restApi.addGatewayResponse('Default4xx', { type: apigateway.ResponseType.DEFAULT_4XX, responseHeaders: headers });
    this.restApi.addGatewayResponse('Default5xx', { type: apigateway.ResponseType.DEFAULT_5XX, responseHeaders: headers });
  }
}

function isEnhancedPolicy(policy: apigateway.SecurityPolicy): boolean {
  return String(policy).startsWith('SecurityPolicy_');
}

function checkThrottling(problems: ProblemCollector, prop: string, throttling: ApiThrottling): void {
  const { rateLimit, burstLimit } = throttling;
  if (Token.isUnresolved(rateLimit) || Token.isUnresolved(burstLimit)) {
    return;
  }
  problems.require(
    typeof rateLimit === 'number' && rateLimit > 0,
    `\`${prop}.rateLimit\` must be more than 0 requests per second, got: ${received(rateLimit)}.`,
  );
  problems.require(
    Number.isInteger(burstLimit) && burstLimit >= 1,
    `\`${prop}.burstLimit\` must be a whole number of at least 1, got: ${received(burstLimit)}.`,
  );
  problems.require(
    !(burstLimit < rateLimit),
    `\`${prop}.burstLimit\` (${burstLimit}) must be at least \`${prop}.rateLimit\` (${rateLimit}): the bucket could never hold one second of traffic.`,
  );
}

type ApiAlarmConfigs = { [P in keyof typeof API_ALARMS]?: AlarmConfig };

function checkProps(scope: Construct, props: SecureApiProps, profile: SecurityProfile): ApiAlarmConfigs {
  const problems = new ProblemCollector(scope);
  checkInputTypes(problems, props);
  // Wrong types stop here: the checks below read these props.
  problems.throwIfAny();
  const alarms = checkAlarmSettings(problems, props, API_ALARMS);
  if (props.throttling) {
    checkThrottling(problems, 'throttling', props.throttling);
  }
  props.authorization?._check(problems, 'authorization');
  checkCors(problems, props.cors);
  checkLogRetention(problems, 'accessLogRetention', props.accessLogRetention, profile);
  if (props.stageName !== undefined && !Token.isUnresolved(props.stageName)) {
    problems.require(
      STAGE_NAME.test(props.stageName),
      `\`stageName\` must be 1 to 128 letters, digits, \`-\` or \`_\`, got: ${received(props.stageName)}.`,
    );
  }
  const domain = props.customDomain;
  if (domain && !Token.isUnresolved(domain.domainName)) {
    problems.require(
      DOMAIN_NAME.test(domain.domainName),
      `\`customDomain.domainName\` must be a host name like \`api.example.com\` (no scheme, path or port), got: ${received(domain.domainName)}.`,
    );
  }
  if (domain?.basePath !== undefined && !Token.isUnresolved(domain.basePath)) {
    problems.require(
      BASE_PATH.test(domain.basePath),
      `\`customDomain.basePath\` must be path segments without a leading or trailing \`/\` (letters, digits, \`.\`, \`_\`, \`-\`), e.g. \`v1\`, got: ${received(domain.basePath)}.`,
    );
  }
  if (props.customDomain?.securityPolicy === apigateway.SecurityPolicy.TLS_1_0) {
    problems.add('`customDomain.securityPolicy` TLS_1_0 allows TLS 1.0 and 1.1; use SecurityPolicy.TLS_1_2 (the default) or a SecurityPolicy_TLS13_* policy.');
  }
  problems.require(
    !(props.webAcl && props.existingWebAclArn !== undefined),
    '`webAcl` and `existingWebAclArn` both name the web ACL of the stage; pass one of them.',
  );
  if (props.webAcl && props.webAcl.webAclScope !== WebAclScope.REGIONAL) {
    problems.add(
      `\`webAcl\` ${props.webAcl.node.path} has scope CLOUDFRONT; a REST API stage needs a REGIONAL web ACL (\`scope: WebAclScope.REGIONAL\`).`,
    );
  }
  problems.throwIfAny();
  return alarms;
}

const AUTHORIZATION_HINT = '`ApiAuthorization.iam()`, `ApiAuthorization.cognito(pool)`, `ApiAuthorization.lambdaToken(fn)`, ' +
  '`ApiAuthorization.lambdaRequest(fn, { identitySources })` or `ApiAuthorization.none({ reason })`';

/** Types of throttling settings: both limits are numbers. */
function checkThrottlingTypes(problems: ProblemCollector, prop: string, value: unknown): boolean {
  if (!requireStruct(problems, prop, value, '{ rateLimit: 100, burstLimit: 200 }') || value === undefined) {
    return true;
  }
  const throttling = value as Record<keyof ApiThrottling, unknown>;
  const rate = requireNumber(problems, `${prop}.rateLimit`, throttling.rateLimit, '100');
  const burst = requireNumber(problems, `${prop}.burstLimit`, throttling.burstLimit, '200');
  return rate && burst;
}

/** Types of the props, as untyped callers (Python, Java, .NET, JavaScript) may get them wrong. */
function checkInputTypes(problems: ProblemCollector, props: SecureApiProps): void {
  if (!requireProps(problems, props, undefined)) {
    return;
  }
  const p = props as unknown as Record<keyof SecureApiProps, unknown>;
  requireOptionalNonEmptyString(problems, 'restApiName', p.restApiName, 'orders-api');
  requireOptionalString(problems, 'description', p.description);
  requireInstanceOf(problems, 'authorization', p.authorization, ApiAuthorization, AUTHORIZATION_HINT);
  checkThrottlingTypes(problems, 'throttling', p.throttling);
  requireInstanceOf(problems, 'webAcl', p.webAcl, SecureWebAcl, 'a SecureWebAcl');
  requireOptionalNonEmptyString(problems, 'existingWebAclArn', p.existingWebAclArn, 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/platform/<id>');
  if (requireStruct(problems, 'customDomain', p.customDomain, "{ domainName: 'api.example.com', certificate }") && p.customDomain !== undefined) {
    const domain = p.customDomain as Record<keyof SecureApiDomainOptions, unknown>;
    requireNonEmptyString(problems, 'customDomain.domainName', domain.domainName, 'api.example.com');
    requireInterface(problems, 'customDomain.certificate', domain.certificate, 'certificateArn', 'an acm.ICertificate for the domain, in the stack\'s region', true);
    requireOptionalString(problems, 'customDomain.basePath', domain.basePath);
    requireEnumValue(problems, 'customDomain.securityPolicy', domain.securityPolicy, apigateway.SecurityPolicy, 'apigateway.SecurityPolicy');
  }
  if (requireStruct(problems, 'cors', p.cors, "{ allowOrigins: ['https://app.example.com'] }") && p.cors !== undefined) {
    const cors = p.cors as Record<keyof SecureApiCorsOptions, unknown>;
    if (cors.allowOrigins === undefined) {
      problems.add("`cors.allowOrigins` is required: list the origins, e.g. `['https://app.example.com']`, got: undefined.");
    }
    requireOptionalStringArray(problems, 'cors.allowOrigins', cors.allowOrigins, "['https://app.example.com']");
    requireOptionalStringArray(problems, 'cors.allowMethods', cors.allowMethods, "['GET', 'POST']");
    requireOptionalStringArray(problems, 'cors.allowHeaders', cors.allowHeaders, "['Content-Type', 'Authorization']");
    requireOptionalBoolean(problems, 'cors.allowCredentials', cors.allowCredentials);
    requireDuration(problems, 'cors.maxAge', cors.maxAge, 'Duration.minutes(10)');
  }
  requireInterface(problems, 'encryptionKey', p.encryptionKey, 'keyArn', 'a kms.IKey, e.g. a kms.Key');
  requireOptionalString(problems, 'stageName', p.stageName);
  requireOptionalBoolean(problems, 'configureAccountLogging', p.configureAccountLogging);
}

/** Types of the options of `addRoute`; false when a later check would misread them. */
function checkRouteOptionTypes(problems: ProblemCollector, options: SecureRouteOptions): boolean {
  if (!requireStruct(problems, 'options', options, '{ authorization: ApiAuthorization.iam() }', true)) {
    return false;
  }
  const o = options as unknown as Record<keyof SecureRouteOptions, unknown>;
  return [
    requireStruct(problems, 'options.requestSchema', o.requestSchema, '{ type: apigateway.JsonSchemaType.OBJECT, required: [...] }'),
    requireOptionalMap(problems, 'options.requestParameters', o.requestParameters, "{ 'method.request.querystring.page': false }", (prop, value) => {
      const ok = typeof value === 'boolean';
      problems.require(ok, `\`${prop}\` must be true (required) or false (optional), got: ${shown(value)}.`);
      return ok;
    }),
    requireInstanceOf(problems, 'options.authorization', o.authorization, ApiAuthorization, AUTHORIZATION_HINT),
    checkThrottlingTypes(problems, 'options.throttling', o.throttling),
    requireOptionalBoolean(problems, 'options.apiKeyRequired', o.apiKeyRequired),
  ].every((ok) => ok);
}
