import { ArnFormat, Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { ProblemCollector, received } from '../core/errors';
import { checkJustification, Justification } from '../core/justification';
import { allowServiceToInvoke } from '../core/private/invoke-permission';
import { shortHash } from '../core/private/short-hash';

/** How long API Gateway caches an authorizer's decision unless told otherwise (AWS's own default). */
export const DEFAULT_AUTHORIZER_CACHE_TTL = Duration.minutes(5);
/** The longest authorizer cache API Gateway accepts. */
export const MAX_AUTHORIZER_CACHE_TTL = Duration.hours(1);
/** Where token-based authorizers read the caller's token. */
export const DEFAULT_TOKEN_SOURCE = 'method.request.header.Authorization';

const HEADER_SOURCE = /^method\.request\.header\.[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const REQUEST_SOURCE = new RegExp(
  '^(method\\.request\\.(header|multivalueheader)\\.[A-Za-z0-9!#$%&\'*+.^_`|~-]+' +
    '|method\\.request\\.(querystring|multivaluequerystring)\\.[^\\s.]+' +
    '|context\\.[A-Za-z0-9_.]+|stageVariables\\.[A-Za-z0-9_]+)$',
);
const SCOPE_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Options of {@link ApiAuthorization.cognito}. */
export interface CognitoAuthorizationOptions {
  /**
   * OAuth scopes the access token must carry (any one of them). With scopes,
   * callers must send an access token; without, an ID token.
   *
   * @default - no scope check (any valid token of the pool)
   */
  readonly scopes?: string[];

  /**
   * How long API Gateway caches a token's decision, at most 1 hour; 0 turns the cache off.
   *
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
}

/** Options of {@link ApiAuthorization.lambdaToken}. */
export interface LambdaTokenAuthorizationOptions {
  /**
   * The request header holding the token, as `method.request.header.<Name>`.
   *
   * @default 'method.request.header.Authorization'
   */
  readonly identitySource?: string;

  /**
   * A regular expression the token must match; API Gateway rejects other
   * tokens without calling the function.
   *
   * @default - every token reaches the function
   */
  readonly validationRegex?: string;

  /**
   * How long API Gateway caches a token's decision, at most 1 hour; 0 turns the cache off.
   *
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
}

/** Options of {@link ApiAuthorization.lambdaRequest}. */
export interface LambdaRequestAuthorizationOptions {
  /**
   * The request values the decision depends on, e.g.
   * `method.request.header.Authorization`, `method.request.querystring.key`,
   * `context.sourceIp`. They are the cache key, and API Gateway rejects a
   * request missing any of them (401) without calling the function.
   */
  readonly identitySources: string[];

  /**
   * How long API Gateway caches a decision, at most 1 hour; 0 turns the cache off.
   *
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
}


/**
 * Who may call an API method. Every method of a `SecureApi` is authorized;
 * `none()` is the explicit, reasoned exception.
 *
 * @example
 * api.addRoute(HttpMethod.GET, '/health', healthFn, {
 *   authorization: ApiAuthorization.none({ reason: 'load balancer health probe, returns no data' }),
 * });
 */
export class ApiAuthorization {
  /** How long API Gateway caches an authorizer's decision unless told otherwise (AWS's own default). */
  public static readonly DEFAULT_AUTHORIZER_CACHE_TTL: Duration = DEFAULT_AUTHORIZER_CACHE_TTL;

  /** The longest authorizer cache API Gateway accepts. */
  public static readonly MAX_AUTHORIZER_CACHE_TTL: Duration = MAX_AUTHORIZER_CACHE_TTL;

  /** Where token-based authorizers read the caller's token. */
  public static readonly DEFAULT_TOKEN_SOURCE: string = DEFAULT_TOKEN_SOURCE;

  /**
   * AWS IAM (SigV4-signed requests): callers need `execute-api:Invoke` on the
   * method. Best for service-to-service calls.
   */
  public static iam(): ApiAuthorization {
    return new ApiAuthorization(new NoAuthorizer(apigateway.AuthorizationType.IAM));
  }

  /** Tokens issued by a Cognito user pool, optionally with OAuth scopes. */
  public static cognito(userPool: cognito.IUserPool, options: CognitoAuthorizationOptions = {}): ApiAuthorization {
    return new ApiAuthorization(new CognitoAuthorizer(userPool, options));
  }

  /** A Lambda authorizer that receives a bearer token from one header. */
  public static lambdaToken(handler: lambda.IFunction, options: LambdaTokenAuthorizationOptions = {}): ApiAuthorization {
    return new ApiAuthorization(new LambdaTokenAuthorizer(handler, options));
  }

  /** A Lambda authorizer that receives the request's headers, query string and context. */
  public static lambdaRequest(handler: lambda.IFunction, options: LambdaRequestAuthorizationOptions): ApiAuthorization {
    return new ApiAuthorization(new LambdaRequestAuthorizer(handler, options));
  }

  /**
   * No authorization: anyone who can reach the API may call the method. The
   * reason is recorded as an acknowledgement of exactly the authorization rules
   * (AwsSolutions-APIG4, -COG4), on that method only.
   */
  public static none(justification: Justification): ApiAuthorization {
    return new ApiAuthorization(new NoAuthorizer(apigateway.AuthorizationType.NONE), justification);
  }

  /** The method's API Gateway authorization type. */
  public readonly authorizationType: apigateway.AuthorizationType;

  private constructor(
    private readonly strategy: AuthorizationStrategy,
    /** Why the method is open, for `none()`. */
    public readonly justification?: Justification,
  ) {
    this.authorizationType = strategy.authorizationType;
  }

  /**
   * Adds every problem of this authorization's options to `problems`, naming `prop`.
   *
   * @internal
   */
  public _check(problems: ProblemCollector, prop: string): void {
    if (this.authorizationType === apigateway.AuthorizationType.NONE) {
      checkJustification(problems, prop, this.justification);
    }
    this.strategy.check(problems, prop);
  }

  /**
   * The method settings for `restApi`, creating (once per API and
   * configuration) the authorizer under `scope`.
   *
   * @internal
   */
  public _bind(scope: Construct, restApi: apigateway.IRestApi): BoundAuthorization {
    return this.strategy.bind(scope, restApi);
  }
}

/** What a route's method takes from its authorization. @internal */
export interface BoundAuthorization {
  readonly authorizationType: apigateway.AuthorizationType;
  readonly authorizer?: apigateway.IAuthorizer;
  readonly authorizationScopes?: string[];
  /** Request values the authorizer reads (header tokens are redacted from WAF logs). */
  readonly identitySources: string[];
}

/** How one kind of authorization checks its options and binds to an API. */
interface AuthorizationStrategy {
  readonly authorizationType: apigateway.AuthorizationType;
  check(problems: ProblemCollector, prop: string): void;
  bind(scope: Construct, restApi: apigateway.IRestApi): BoundAuthorization;
}

/** IAM and `none()`: no authorizer resource, nothing to check beyond the reason. */
class NoAuthorizer implements AuthorizationStrategy {
  constructor(public readonly authorizationType: apigateway.AuthorizationType) {}

  public check(): void {}

  public bind(): BoundAuthorization {
    return { authorizationType: this.authorizationType, identitySources: [] };
  }
}

/** What every authorizer resource is made of. */
interface AuthorizerSpec {
  /** Part of the authorizer's construct id (`<name>Authorizer<hash>`): public contract, do not rename. */
  readonly name: 'Cognito' | 'Token' | 'Request';
  readonly type: 'COGNITO_USER_POOLS' | 'TOKEN' | 'REQUEST';
  readonly target: IConstruct;
  readonly sources: string[];
  readonly ttl?: Duration;
  readonly scopes?: string[];
  readonly validationRegex?: string;
}

/** An authorization that needs an authorizer resource: the checks they share, and its creation once per API and configuration. */
abstract class AuthorizerStrategy implements AuthorizationStrategy {
  public abstract readonly authorizationType: apigateway.AuthorizationType;
  protected abstract readonly spec: AuthorizerSpec;

  public check(problems: ProblemCollector, prop: string): void {
    const ttl = this.spec.ttl;
    if (ttl !== undefined && !Token.isUnresolved(ttl.toSeconds())) {
      const seconds = ttl.toSeconds();
      problems.require(
        seconds <= MAX_AUTHORIZER_CACHE_TTL.toSeconds(),
        `\`${prop}\` results cache TTL must be between 0 and ${MAX_AUTHORIZER_CACHE_TTL.toSeconds()} seconds, got: ${seconds}.`,
      );
    }
  }

  public bind(scope: Construct, restApi: apigateway.IRestApi): BoundAuthorization {
    const spec = this.spec;
    const ttlSeconds = spec.ttl === undefined ? undefined : spec.ttl.toSeconds();
    const id = `${spec.name}Authorizer${shortHash([spec.name, spec.target.node.path, spec.sources, ttlSeconds, spec.validationRegex])}`;
    const authorizer = (scope.node.tryFindChild(id) as apigateway.CfnAuthorizer | undefined) ?? this.createAuthorizer(scope, id, restApi);
    return {
      authorizationType: this.authorizationType,
      authorizer: { authorizerId: authorizer.ref, authorizationType: this.authorizationType },
      authorizationScopes: spec.scopes,
      identitySources: spec.sources,
    };
  }

  /** The authorizer's properties that depend on what it calls. */
  protected abstract target(): Pick<apigateway.CfnAuthorizerProps, 'providerArns' | 'authorizerUri'>;

  /** After the authorizer exists, e.g. the permission to invoke its function. */
  protected afterCreate(_authorizer: apigateway.CfnAuthorizer, _restApi: apigateway.IRestApi): void {}

  private createAuthorizer(scope: Construct, id: string, restApi: apigateway.IRestApi): apigateway.CfnAuthorizer {
    const spec = this.spec;
    const authorizer = new apigateway.CfnAuthorizer(scope, id, {
      name: id,
      restApiId: restApi.restApiId,
      type: spec.type,
      identitySource: spec.sources.length > 0 ? spec.sources.join(',') : undefined,
      identityValidationExpression: spec.validationRegex,
      authorizerResultTtlInSeconds: (spec.ttl ?? DEFAULT_AUTHORIZER_CACHE_TTL).toSeconds(),
      ...this.target(),
    });
    this.afterCreate(authorizer, restApi);
    return authorizer;
  }
}

class CognitoAuthorizer extends AuthorizerStrategy {
  public readonly authorizationType = apigateway.AuthorizationType.COGNITO;
  protected readonly spec: AuthorizerSpec;

  constructor(private readonly userPool: cognito.IUserPool, options: CognitoAuthorizationOptions) {
    super();
    this.spec = { name: 'Cognito', type: 'COGNITO_USER_POOLS', target: userPool, scopes: options.scopes, ttl: options.resultsCacheTtl, sources: [DEFAULT_TOKEN_SOURCE] };
  }

  public check(problems: ProblemCollector, prop: string): void {
    super.check(problems, prop);
    for (const scope of this.spec.scopes ?? []) {
      problems.require(SCOPE_PATTERN.test(scope), `\`${prop}\` OAuth scope must be non-empty without spaces or quotes, got: ${received(scope)}.`);
    }
  }

  protected target() {
    return { providerArns: [this.userPool.userPoolArn] };
  }
}

/** A Lambda authorizer: API Gateway invokes the function, for exactly this authorizer of this API. */
abstract class LambdaAuthorizer extends AuthorizerStrategy {
  public readonly authorizationType = apigateway.AuthorizationType.CUSTOM;

  constructor(private readonly handler: lambda.IFunction) {
    super();
  }

  protected target() {
    return { authorizerUri: lambdaInvocationUri(this.handler) };
  }

  protected afterCreate(authorizer: apigateway.CfnAuthorizer, restApi: apigateway.IRestApi): void {
    allowServiceToInvoke(this.handler, 'apigateway.amazonaws.com', Stack.of(authorizer).formatArn({
      service: 'execute-api',
      resource: restApi.restApiId,
      resourceName: `authorizers/${authorizer.ref}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }), authorizer);
  }
}

class LambdaTokenAuthorizer extends LambdaAuthorizer {
  protected readonly spec: AuthorizerSpec;

  constructor(handler: lambda.IFunction, options: LambdaTokenAuthorizationOptions) {
    super(handler);
    this.spec = {
      name: 'Token',
      type: 'TOKEN',
      target: handler,
      ttl: options.resultsCacheTtl,
      sources: [options.identitySource ?? DEFAULT_TOKEN_SOURCE],
      validationRegex: options.validationRegex,
    };
  }

  public check(problems: ProblemCollector, prop: string): void {
    super.check(problems, prop);
    const source = this.spec.sources[0];
    problems.require(
      HEADER_SOURCE.test(source),
      `\`${prop}\` identity source of a token authorizer must be a header, \`method.request.header.<Name>\`, got: ${received(source)}.`,
    );
    const regex = this.spec.validationRegex;
    if (regex !== undefined) {
      try {
        new RegExp(regex);
      } catch {
        problems.add(`\`${prop}\` validation regex is not a valid regular expression, got: ${received(regex)}.`);
      }
    }
  }
}

class LambdaRequestAuthorizer extends LambdaAuthorizer {
  protected readonly spec: AuthorizerSpec;

  constructor(handler: lambda.IFunction, options: LambdaRequestAuthorizationOptions) {
    super(handler);
    this.spec = { name: 'Request', type: 'REQUEST', target: handler, ttl: options.resultsCacheTtl, sources: options.identitySources ?? [] };
  }

  public check(problems: ProblemCollector, prop: string): void {
    super.check(problems, prop);
    for (const source of this.spec.sources) {
      problems.require(
        REQUEST_SOURCE.test(source),
        `\`${prop}\` identity source ${received(source)} is not one API Gateway accepts; ` +
          'use `method.request.header.<Name>`, `method.request.querystring.<name>`, `context.<var>` or `stageVariables.<name>`.',
      );
    }
    problems.require(
      this.spec.sources.length > 0,
      `\`${prop}\` request authorizer needs at least one of \`identitySources\` (the cache key, and what a request must carry).`,
    );
  }
}

/** The URI API Gateway calls a Lambda function with. */
function lambdaInvocationUri(handler: lambda.IFunction): string {
  return `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${handler.functionArn}/invocations`;
}
