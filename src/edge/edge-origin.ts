import { Annotations, Aspects, Aws, Duration, Fn, IAspect, Names, Stage } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { SecureApi } from '../api/secure-api';
import { AegisValidationError } from '../core/errors';
import { shortHash } from '../core/private/short-hash';
import { SecureFunction } from '../function/secure-function';
import { SecretRotation, SecureSecret } from '../secrets/secure-secret';

const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
/** Construct id, under the SecureApi, of the secret CloudFront sends in `x-origin-verify`. Public contract: do not rename. */
const ORIGIN_VERIFY_SECRET_ID = 'OriginVerifySecret';
/** WCU of the origin check's header match (a byte match, EXACTLY, no transformation). */
const ORIGIN_VERIFY_CAPACITY = 2;
/** How much higher than its own default an API's per-IP rate rule is behind a distribution (whose web ACL counts real addresses). */
const BEHIND_CLOUDFRONT_RATE_FACTOR = 10;

/** Construct id, under the HTTP API, of the Lambda authorizer that checks the origin header. Public contract: do not rename. */
const ORIGIN_VERIFY_AUTHORIZER_ID = 'OriginVerifyAuthorizer';

/**
 * The authorizer of `EdgeOrigin.httpApi`: allows a request when its origin
 * header matches the secret (compared as SHA-256 digests in constant time);
 * API Gateway caches the answer per header value for 5 minutes.
 */
const AUTHORIZER_CODE = `
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { createHash, timingSafeEqual } = require('crypto');
const client = new SecretsManagerClient({});
const digest = (value) => createHash('sha256').update(String(value)).digest();
let expected;
exports.handler = async (event) => {
  if (expected === undefined) {
    const out = await client.send(new GetSecretValueCommand({ SecretId: process.env.ORIGIN_VERIFY_SECRET_ARN }));
    expected = digest(out.SecretString ?? '');
  }
  const given = (event.headers || {})['${ORIGIN_VERIFY_HEADER}'];
  return { isAuthorized: given !== undefined && timingSafeEqual(digest(given), expected) };
};
`;

/** Options of {@link EdgeOrigin.httpApi}: where the origin check's authorizer function runs. */
export interface HttpApiOriginOptions {
  /**
   * The VPC of the authorizer function. **Required under REGULATED** (with `reservedConcurrentExecutions`).
   *
   * @default - none (BASELINE)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of the authorizer function in `vpc`.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Reserved concurrency of the authorizer function. **Required under REGULATED**.
   *
   * @default - none (BASELINE)
   */
  readonly reservedConcurrentExecutions?: number;
}

/** How CloudFront treats a dynamic origin (API, function): every method, no caching, every viewer header but Host. */
const DYNAMIC_CONTENT = {
  allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
  cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
  originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
  staticContent: false,
};

/** An origin by domain name: HTTPS only, TLS 1.2, with the origin secret header. */
function httpsOrigin(domainName: string, secret: SecureSecret): origins.HttpOrigin {
  return new origins.HttpOrigin(domainName, {
    customHeaders: { [ORIGIN_VERIFY_HEADER]: secret.secretValue.unsafeUnwrap() },
    protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
    originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
  });
}

/** What an origin brings to a behaviour of the distribution. @internal */
export interface BoundEdgeOrigin {
  readonly origin: cloudfront.IOrigin;
  readonly allowedMethods: cloudfront.AllowedMethods;
  readonly cachePolicy: cloudfront.ICachePolicy;
  readonly originRequestPolicy?: cloudfront.IOriginRequestPolicy;
  /** Whether the origin serves a static site (then the distribution gets a default root object). */
  readonly staticContent: boolean;
}

/**
 * An origin of a {@link SecureDistribution}, reachable only through the
 * distribution: buckets and Lambda function URLs through origin access
 * control, REST APIs through a secret origin header their web ACL checks,
 * HTTP APIs through the same header checked by an authorizer on every route.
 * Create one with the static methods; other subclasses are not supported.
 */
export abstract class EdgeOrigin {
  /** The header CloudFront adds to requests for an API origin; the API's web ACL blocks requests to the API without its secret value. */
  public static readonly ORIGIN_VERIFY_HEADER: string = ORIGIN_VERIFY_HEADER;

  /**
   * A bucket (e.g. a `SecureBucket`) through origin access control: the
   * bucket stays private; its policy, and the policy of its KMS key, let only
   * this distribution read. No origin access identity, no public bucket.
   */
  public static bucket(bucket: s3.IBucket): EdgeOrigin {
    return new BucketOrigin(bucket);
  }

  /**
   * A `SecureApi` (REST API) with its own web ACL (the default). CloudFront
   * sends a secret header (a generated secret, read at deploy time through a
   * dynamic reference, so no template holds its value), and the first rule of
   * the API's web ACL blocks every request without it. That web ACL's per-IP
   * rate rule then counts forwarded viewer addresses, as a backstop at 10
   * times its limit (the distribution's web ACL counts real addresses).
   * HTTPS only, TLS 1.2.
   */
  public static api(api: SecureApi): EdgeOrigin {
    return new ApiOrigin(api);
  }

  /**
   * An HTTP API (API Gateway v2), which takes no web ACL: CloudFront's web
   * ACL is its only one. CloudFront sends a secret header (read at deploy
   * time through a dynamic reference) and a Lambda authorizer on every route
   * of the API lets only requests that carry it in, so the API's own endpoint
   * refuses everyone else (HTTP 403). The API's routes must not have an
   * authorizer of their own (one per route): check callers in the function,
   * or keep that API out of the distribution. HTTPS only, TLS 1.2.
   */
  public static httpApi(api: apigwv2.HttpApi, options: HttpApiOriginOptions = {}): EdgeOrigin {
    return new HttpApiOrigin(api, options);
  }

  /**
   * A Lambda function through a function URL with IAM auth and origin access
   * control: only this distribution may invoke it (`lambda:InvokeFunctionUrl`
   * and `lambda:InvokeFunction` for its ARN). Viewers that send a body (POST,
   * PUT) must send its SHA-256 in `x-amz-content-sha256` (SigV4 signing by
   * CloudFront needs it).
   */
  public static functionUrl(fn: lambda.IFunction): EdgeOrigin {
    return new FunctionUrlOrigin(fn);
  }

  /** Use the static methods. */
  protected constructor() {}

  /** @internal */
  public abstract _bind(scope: Construct, behaviourId: string): BoundEdgeOrigin;
}

class BucketOrigin extends EdgeOrigin {
  constructor(private readonly bucket: s3.IBucket) {
    super();
  }

  public _bind(scope: Construct, behaviourId: string): BoundEdgeOrigin {
    if (this.bucket.encryptionKey !== undefined) {
      // aws-cdk-lib lets CloudFront decrypt with the bucket's key for any distribution of this account (the exact one
      // would be a dependency cycle: key, bucket, distribution) and warns. The bucket policy names this distribution
      // only, so no other distribution reads the bucket; objects of other buckets on the key need their own bucket policy too.
      Annotations.of(this.bucket.encryptionKey.node.scope ?? scope).acknowledgeWarning(
        '@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac',
        'cdk-aegis: the bucket policy admits this distribution only; the key statement is held to distributions of this account',
      );
    }
    return {
      origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket, {
        originAccessControl: new cloudfront.S3OriginAccessControl(scope, `${behaviourId}OriginAccessControl`, {
          originAccessControlName: regionalName(scope, behaviourId),
        }),
      }),
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      staticContent: true,
    };
  }
}

class FunctionUrlOrigin extends EdgeOrigin {
  constructor(private readonly fn: lambda.IFunction) {
    super();
  }

  public _bind(scope: Construct, behaviourId: string): BoundEdgeOrigin {
    const url = new lambda.FunctionUrl(scope, `${behaviourId}Url`, { function: this.fn, authType: lambda.FunctionUrlAuthType.AWS_IAM });
    return {
      origin: origins.FunctionUrlOrigin.withOriginAccessControl(url, {
        originAccessControl: new cloudfront.FunctionUrlOriginAccessControl(scope, `${behaviourId}OriginAccessControl`, {
          originAccessControlName: regionalName(scope, behaviourId),
        }),
      }),
      ...DYNAMIC_CONTENT,
    };
  }
}

class ApiOrigin extends EdgeOrigin {
  constructor(private readonly api: SecureApi) {
    super();
  }

  public _bind(scope: Construct): BoundEdgeOrigin {
    const secret = originVerifySecret(this.api, scope);
    const domain = this.api.domainName;
    // With a custom domain the execute-api endpoint is off: the domain is the origin (and the only way in).
    const origin = domain === undefined
      ? new origins.RestApiOrigin(this.api.restApi, { customHeaders: { [ORIGIN_VERIFY_HEADER]: secret.secretValue.unsafeUnwrap() } })
      : httpsOrigin(domain.domainName, secret);
    return { origin, ...DYNAMIC_CONTENT };
  }
}

class HttpApiOrigin extends EdgeOrigin {
  constructor(private readonly api: apigwv2.HttpApi, private readonly options: HttpApiOriginOptions) {
    super();
  }

  public _bind(): BoundEdgeOrigin {
    const secret = httpApiOriginVerifySecret(this.api, this.options);
    return { origin: httpsOrigin(Fn.select(2, Fn.split('/', this.api.apiEndpoint)), secret), ...DYNAMIC_CONTENT };
  }
}

/**
 * The secret CloudFront sends to an HTTP API, created once per API with a
 * Lambda authorizer (identity source: the header) that every route of the
 * API gets, now or when it is added.
 */
function httpApiOriginVerifySecret(api: apigwv2.HttpApi, options: HttpApiOriginOptions): SecureSecret {
  const existing = api.node.tryFindChild(ORIGIN_VERIFY_SECRET_ID);
  if (existing instanceof SecureSecret) {
    if (Object.values(options).some((v) => v !== undefined)) {
      Annotations.of(api).addWarningV2('@cdk-aegis/http-api-origin-options',
        'the origin check of this HTTP API already exists: the options of the first `EdgeOrigin.httpApi` call apply; later options are ignored.');
    }
    return existing;
  }
  const secret = newOriginVerifySecret(api);
  const fn = new SecureFunction(api, `${ORIGIN_VERIFY_AUTHORIZER_ID}Function`, {
    code: lambda.Code.fromInline(AUTHORIZER_CODE),
    handler: 'index.handler',
    description: `cdk-aegis: lets only requests from the CloudFront distribution (${ORIGIN_VERIFY_HEADER}) into ${api.node.path}`,
    secrets: { ORIGIN_VERIFY: secret },
    vpc: options.vpc,
    vpcSubnets: options.vpcSubnets,
    reservedConcurrentExecutions: options.reservedConcurrentExecutions,
  });
  const authorizer = new apigwv2.HttpAuthorizer(api, ORIGIN_VERIFY_AUTHORIZER_ID, {
    httpApi: api,
    type: apigwv2.HttpAuthorizerType.LAMBDA,
    authorizerName: 'cdk-aegis-origin-verify',
    identitySource: [`$request.header.${ORIGIN_VERIFY_HEADER}`],
    authorizerUri: `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`,
    payloadFormatVersion: apigwv2.AuthorizerPayloadVersion.VERSION_2_0,
    enableSimpleResponses: true,
    resultsCacheTtl: Duration.minutes(5),
  });
  fn.addPermission('InvokedByApiGateway', {
    principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    sourceArn: `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${api.apiId}/authorizers/${authorizer.authorizerId}`,
    sourceAccount: Aws.ACCOUNT_ID,
  });
  // On the whole Stage (aspects do not cross into nested Stages): a route may be created anywhere
  // (`new HttpRoute(otherScope, ..., { httpApi })`, another stack of the Stage).
  Aspects.of(Stage.of(api) ?? api.node.root).add(new RequireOriginHeader(api, authorizer.authorizerId));
  return secret;
}

/** Gives every route of an HTTP API the origin check's authorizer; a route with an authorizer of its own is an error. */
class RequireOriginHeader implements IAspect {
  constructor(private readonly api: apigwv2.HttpApi, private readonly authorizerId: string) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof apigwv2.CfnRoute) || node.apiId !== this.api.apiId) {
      return;
    }
    if (node.authorizationType === undefined || node.authorizationType === 'NONE') {
      node.authorizationType = 'CUSTOM';
      node.authorizerId = this.authorizerId;
    } else if (node.authorizerId !== this.authorizerId) {
      Annotations.of(node).addError(
        `\`EdgeOrigin.httpApi\`: route ${node.routeKey} of ${this.api.node.path} has authorization ${node.authorizationType}; an HTTP API route takes one ` +
          'authorizer, and the distribution\'s origin check needs it. Check the caller in the function instead, or keep this API out of the distribution.',
      );
    }
  }
}

/**
 * The secret CloudFront sends to `api` in `x-origin-verify`, created
 * once per API with the web ACL rule that blocks requests to the API's host
 * without it. Several distributions in front of one API share it.
 */
function originVerifySecret(api: SecureApi, distribution: Construct): SecureSecret {
  const existing = api.node.tryFindChild(ORIGIN_VERIFY_SECRET_ID);
  if (existing instanceof SecureSecret) {
    return existing;
  }
  const webAcl = api.webAcl;
  if (webAcl === undefined) {
    throw new AegisValidationError(distribution.node.path, [
      `\`EdgeOrigin.api\`: API ${api.node.path} is protected by \`existingWebAclArn\`, a web ACL cdk-aegis cannot add its origin check to, ` +
        'so the API would stay reachable around the distribution. Give the API a `SecureWebAcl` (the default), or add the check to your web ACL and use ' +
        '`EdgeOrigin` only with APIs cdk-aegis protects.',
    ]);
  }
  if (webAcl.node.scope !== api) {
    throw new AegisValidationError(distribution.node.path, [
      `\`EdgeOrigin.api\`: ${api.node.path} shares web ACL ${webAcl.node.path}. Behind the distribution the API's web ACL must block every ` +
        'request without the origin secret and count viewers by their forwarded address, which would change it for the other resources it ' +
        'protects. Give the API its own web ACL (the default: omit `webAcl`).',
    ]);
  }
  const secret = newOriginVerifySecret(api);
  // First: a request without the secret is blocked before any other rule counts it. A header WAF cannot reach (past its
  // 8 KB / 200-header inspection limit) does not match, so such a request is blocked too.
  webAcl._addRuleFirst(`CloudFrontOnly-${shortHash(api.node.path)}`, ORIGIN_VERIFY_CAPACITY, {
    notStatement: {
      statement: {
        byteMatchStatement: {
          fieldToMatch: { singleHeader: { Name: ORIGIN_VERIFY_HEADER } },
          positionalConstraint: 'EXACTLY',
          searchString: secret.secretValue.unsafeUnwrap(),
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      },
    },
  });
  webAcl._rateLimitBehindCloudFront(BEHIND_CLOUDFRONT_RATE_FACTOR);
  webAcl.redactHeader(ORIGIN_VERIFY_HEADER);
  return secret;
}

/**
 * A name for an account-wide CloudFront resource (origin access controls are
 * global): the construct's unique name and the stack's region, so one stack
 * deployed to two regions of an account does not collide.
 */
function regionalName(scope: Construct, id: string): string {
  return `${Names.uniqueResourceName(scope, { maxLength: 40, separator: '-' })}-${id}`.slice(0, 48) + `-${Aws.REGION}`;
}

/** The secret CloudFront sends to an API origin in `x-origin-verify`, under the API. */
function newOriginVerifySecret(api: Construct): SecureSecret {
  return new SecureSecret(api, ORIGIN_VERIFY_SECRET_ID, {
    description: `cdk-aegis: value CloudFront sends to ${api.node.path} in ${ORIGIN_VERIFY_HEADER}; the API refuses requests without it`,
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
    rotation: SecretRotation.none({
      reason: 'CloudFront origin headers and the API\'s check take the value at deploy time; a rotation without a redeploy would cut the API off the distribution',
    }),
  });
}


