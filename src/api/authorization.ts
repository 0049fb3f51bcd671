import { ArnFormat, Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { ProblemCollector, received } from '../core/errors';
import { allowServiceToInvoke } from '../core/invoke-permission';
import { checkJustification, Justification } from '../core/justification';
import { shortHash } from '../core/short-hash';

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


enum Kind {
  IAM = 'IAM',
  COGNITO = 'Cognito',
  TOKEN = 'Token',
  REQUEST = 'Request',
  NONE = 'None',
}

/**
 * Who may call an API method. Every method of a `SecureApi` is authorized;
 * `none()` is the explicit, reasoned exception.
 *
 * @example
 * api.addRoute('GET', '/health', healthFn, {
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
    return new ApiAuthorization(Kind.IAM, apigateway.AuthorizationType.IAM);
  }

  /** Tokens issued by a Cognito user pool, optionally with OAuth scopes. */
  public static cognito(userPool: cognito.IUserPool, options: CognitoAuthorizationOptions = {}): ApiAuthorization {
    return new ApiAuthorization(Kind.COGNITO, apigateway.AuthorizationType.COGNITO, {
      target: userPool,
      scopes: options.scopes,
      ttl: options.resultsCacheTtl,
      sources: [DEFAULT_TOKEN_SOURCE],
    });
  }

  /** A Lambda authorizer that receives a bearer token from one header. */
  public static lambdaToken(handler: lambda.IFunction, options: LambdaTokenAuthorizationOptions = {}): ApiAuthorization {
    return new ApiAuthorization(Kind.TOKEN, apigateway.AuthorizationType.CUSTOM, {
      target: handler,
      ttl: options.resultsCacheTtl,
      sources: [options.identitySource ?? DEFAULT_TOKEN_SOURCE],
      validationRegex: options.validationRegex,
    });
  }

  /** A Lambda authorizer that receives the request's headers, query string and context. */
  public static lambdaRequest(handler: lambda.IFunction, options: LambdaRequestAuthorizationOptions): ApiAuthorization {
    return new ApiAuthorization(Kind.REQUEST, apigateway.AuthorizationType.CUSTOM, {
      target: handler,
      ttl: options.resultsCacheTtl,
      sources: options.identitySources ?? [],
    });
  }

  /**
   * No authorization: anyone who can reach the API may call the method. The
   * reason is recorded as an acknowledgement of exactly the authorization rules
   * (AwsSolutions-APIG4, -COG4), on that method only.
   */
  public static none(justification: Justification): ApiAuthorization {
    return new ApiAuthorization(Kind.NONE, apigateway.AuthorizationType.NONE, undefined, justification);
  }

  private constructor(
    private readonly kind: Kind,
    /** The method's API Gateway authorization type. */
    public readonly authorizationType: apigateway.AuthorizationType,
    private readonly config?: AuthorizerConfig,
    /** Why the method is open, for `none()`. */
    public readonly justification?: Justification,
  ) {}

  /**
   * Adds every problem of this authorization's options to `problems`, naming `prop`.
   *
   * @internal
   */
  public _check(problems: ProblemCollector, prop: string): void {
    if (this.kind === Kind.NONE) {
      checkJustification(problems, prop, this.justification);
      return;
    }
    const config = this.config;
    if (config === undefined) {
      return;
    }
    const ttl = config.ttl;
    if (ttl !== undefined && !Token.isUnresolved(ttl.toSeconds())) {
      const seconds = ttl.toSeconds();
      problems.require(
        seconds <= MAX_AUTHORIZER_CACHE_TTL.toSeconds(),
        `\`${prop}\` results cache TTL must be between 0 and ${MAX_AUTHORIZER_CACHE_TTL.toSeconds()} seconds, got: ${seconds}.`,
      );
    }
    if (this.kind === Kind.TOKEN) {
      const source = config.sources[0];
      problems.require(
        HEADER_SOURCE.test(source),
        `\`${prop}\` identity source of a token authorizer must be a header, \`method.request.header.<Name>\`, got: ${received(source)}.`,
      );
    }
    if (this.kind === Kind.REQUEST) {
      for (const source of config.sources) {
        problems.require(
          REQUEST_SOURCE.test(source),
          `\`${prop}\` identity source ${received(source)} is not one API Gateway accepts; ` +
            'use `method.request.header.<Name>`, `method.request.querystring.<name>`, `context.<var>` or `stageVariables.<name>`.',
        );
      }
      problems.require(
        config.sources.length > 0,
        `\`${prop}\` request authorizer needs at least one of \`identitySources\` (the cache key, and what a request must carry).`,
      );
    }
    if (config.validationRegex !== undefined) {
      try {
        new RegExp(config.validationRegex);
      } catch {
        problems.add(`\`${prop}\` validation regex is not a valid regular expression, got: ${received(config.validationRegex)}.`);
      }
    }
    for (const scope of config.scopes ?? []) {
      problems.require(SCOPE_PATTERN.test(scope), `\`${prop}\` OAuth scope must be non-empty without spaces or quotes, got: ${received(scope)}.`);
    }
  }

  /**
   * The method settings for `restApi`, creating (once per API and
   * configuration) the authorizer under `scope`.
   *
   * @internal
   */
  public _bind(scope: Construct, restApi: apigateway.IRestApi): {
    authorizationType: apigateway.AuthorizationType;
    authorizer?: apigateway.IAuthorizer;
    authorizationScopes?: string[];
    identitySources: string[];
  } {
    const config = this.config;
    if (config === undefined) {
      return { authorizationType: this.authorizationType, identitySources: [] };
    }
    const id = `${this.kind}Authorizer${configHash(this.kind, config)}`;
    const existing = scope.node.tryFindChild(id) as apigateway.CfnAuthorizer | undefined;
    const authorizer = existing ?? this.createAuthorizer(scope, id, restApi, config);
    return {
      authorizationType: this.authorizationType,
      authorizer: { authorizerId: authorizer.ref, authorizationType: this.authorizationType },
      authorizationScopes: config.scopes,
      identitySources: config.sources,
    };
  }

  private createAuthorizer(scope: Construct, id: string, restApi: apigateway.IRestApi, config: AuthorizerConfig): apigateway.CfnAuthorizer {
    const ttlSeconds = (config.ttl ?? DEFAULT_AUTHORIZER_CACHE_TTL).toSeconds();
    const authorizer = new apigateway.CfnAuthorizer(scope, id, {
      name: id,
      restApiId: restApi.restApiId,
      type: this.kind === Kind.COGNITO ? 'COGNITO_USER_POOLS' : this.kind === Kind.TOKEN ? 'TOKEN' : 'REQUEST',
      identitySource: config.sources.length > 0 ? config.sources.join(',') : undefined,
      identityValidationExpression: config.validationRegex,
      authorizerResultTtlInSeconds: ttlSeconds,
      providerArns: this.kind === Kind.COGNITO ? [(config.target as cognito.IUserPool).userPoolArn] : undefined,
      authorizerUri: this.kind === Kind.COGNITO ? undefined : lambdaInvocationUri(config.target as lambda.IFunction),
    });
    if (this.kind !== Kind.COGNITO) {
      allowServiceToInvoke(config.target as lambda.IFunction, 'apigateway.amazonaws.com', Stack.of(authorizer).formatArn({
        service: 'execute-api',
        resource: restApi.restApiId,
        resourceName: `authorizers/${authorizer.ref}`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }), authorizer);
    }
    return authorizer;
  }
}

interface AuthorizerConfig {
  readonly target: IConstruct;
  readonly sources: string[];
  readonly ttl?: Duration;
  readonly scopes?: string[];
  readonly validationRegex?: string;
}

/** The URI API Gateway calls a Lambda function with. */
function lambdaInvocationUri(handler: lambda.IFunction): string {
  return `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${handler.functionArn}/invocations`;
}

function configHash(kind: Kind, config: AuthorizerConfig): string {
  const ttlSeconds = config.ttl === undefined ? undefined : config.ttl.toSeconds();
  return shortHash([kind, config.target.node.path, config.sources, ttlSeconds, config.validationRegex]);
}
