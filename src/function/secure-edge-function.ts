import { Aws, Duration, Fn, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { EntryBundling } from './bundling';
import { checkSource, functionSource } from './private/function-source';
import { StackKey } from '../core/encryption';
import { AegisValidationError, ProblemCollector, received } from '../core/errors';
import { acknowledge, AcknowledgementCause } from '../core/justification';
import { checkLogRetention, createSecureLogGroup, DEFAULT_LOG_RETENTION } from '../core/log-group';
import { RULES } from '../core/nag-rule-ids';
import { guardedProps, SecuredProp } from '../core/private/construction';
import {
  requireDuration, requireEnumValue, requireInstanceOf, requireOptionalBoolean, requireOptionalNonEmptyString, requireOptionalNumber, requireProps,
} from '../core/private/input-checks';
import { requireDeployRegion } from '../core/private/region-rule';
import { latestRuntimeOf } from '../core/private/runtime';
import { acknowledgeWildcardResources } from '../core/private/wildcard-findings';
import { readProfile, SecurityProfile } from '../core/profile';
import { ScopedRole } from '../core/role';

/** Where Lambda@Edge functions are created. */
const EDGE_REGION = 'us-east-1';
/** CloudFront's limits for functions on viewer events (origin events: 30 s and Lambda's memory range). */
const MAX_VIEWER_MEMORY = 128;
const MAX_VIEWER_TIMEOUT = Duration.seconds(5);
const MAX_ORIGIN_TIMEOUT = Duration.seconds(30);
const DEFAULT_ORIGIN_TIMEOUT = Duration.seconds(10);
const VIEWER_EVENTS: string[] = [cloudfront.LambdaEdgeEventType.VIEWER_REQUEST, cloudfront.LambdaEdgeEventType.VIEWER_RESPONSE];
const REQUEST_EVENTS: string[] = [cloudfront.LambdaEdgeEventType.VIEWER_REQUEST, cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST];

/**
 * Lambda features the edge does not run: given anyway (from JavaScript, from a
 * spread of SecureFunctionProps), the deploy would fail, so the construct refuses them.
 */
const REFUSED_AT_THE_EDGE: Record<string, string> = {
  environment: 'environment variables (put settings in the code, e.g. with `bundling.define`)',
  secrets: 'environment variables, so no secret ARNs either (read the secret by name from the code)',
  vpc: 'a VPC',
  vpcSubnets: 'a VPC',
  securityGroups: 'a VPC',
  layers: 'layers (bundle the dependencies with `entry`)',
  deadLetterQueue: 'dead-letter queues (CloudFront invokes synchronously: a failure is the viewer\'s error response)',
  tracing: 'X-Ray tracing',
  architecture: 'the arm64 architecture (only x86_64)',
  provisionedConcurrentExecutions: 'provisioned concurrency',
  parametersAndSecretsExtension: 'layers, so not the Parameters and Secrets extension',
};

const FUNCTION_BASE = { name: 'lambda.Function', injectionId: lambda.Function.PROPERTY_INJECTION_ID };
const EDGE_REFUSES = { instead: 'Lambda@Edge refuses it at deploy' };
/** What a property injector may not change on the edge function. */
const SECURED_EDGE_FUNCTION_PROPS: { [prop: string]: SecuredProp } = {
  role: { instead: 'SecureEdgeFunction creates its own role, trusting Lambda@Edge, with its log groups only' },
  runtime: { instead: 'choose the runtime with `runtime`' },
  architecture: EDGE_REFUSES,
  reservedConcurrentExecutions: { instead: 'pass `reservedConcurrentExecutions` to the SecureEdgeFunction' },
  ...Object.fromEntries(['environment', 'environmentEncryption', 'vpc', 'vpcSubnets', 'securityGroups', 'layers', 'deadLetterQueue',
    'deadLetterQueueEnabled', 'deadLetterTopic', 'tracing', 'logGroup', 'loggingFormat', 'paramsAndSecrets'].map((prop) => [prop, EDGE_REFUSES])),
};

/** Props of {@link SecureEdgeFunction}. */
export interface SecureEdgeFunctionProps {
  /** The CloudFront event the function handles; it decides CloudFront's limits (viewer events: 128 MB, 5 s). */
  readonly eventType: cloudfront.LambdaEdgeEventType;

  /**
   * A TypeScript or JavaScript file to bundle with esbuild (an SBOM is written
   * into the cloud assembly). Exactly one of `entry` and `code`.
   *
   * @default - none: pass `code`
   */
  readonly entry?: string;

  /**
   * Prebuilt code. Exactly one of `entry` and `code`.
   *
   * @default - none: pass `entry`
   */
  readonly code?: lambda.Code;

  /**
   * With `code`: the handler (`index.handler`); with `entry`: the exported function's name.
   *
   * @default 'handler' with `entry`; required with `code`
   */
  readonly handler?: string;

  /**
   * How `entry` is bundled. Source maps are off by default: the edge takes no
   * `NODE_OPTIONS` to load them.
   *
   * @default - minified, `@aws-sdk/*` external, no source map
   */
  readonly bundling?: EntryBundling;

  /**
   * The runtime: a Node.js or Python runtime Lambda@Edge supports.
   *
   * @default - the newest Node.js runtime aws-cdk-lib knows
   */
  readonly runtime?: lambda.Runtime;

  /**
   * Memory in MB: at most 128 for viewer events.
   *
   * @default 128
   */
  readonly memorySize?: number;

  /**
   * Timeout: at most 5 seconds for viewer events, 30 seconds for origin events.
   *
   * @default - 5 seconds (viewer events), 10 seconds (origin events)
   */
  readonly timeout?: Duration;

  /**
   * Whether CloudFront passes the request body to the function (request events only).
   *
   * @default false
   */
  readonly includeBody?: boolean;

  /**
   * Reserved concurrency (of each region the function runs in). **Required under REGULATED**.
   *
   * @default - none (BASELINE)
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Retention of the function's log group in us-east-1 (bounded; at least one year under REGULATED).
   *
   * @default - 3 months (BASELINE), 1 year (REGULATED)
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A description of the function.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * A Lambda@Edge function: a numbered version in us-east-1, a role trusting
 * `lambda.amazonaws.com` and `edgelambda.amazonaws.com` that may write only
 * its own edge log groups, an encrypted, retained log group in us-east-1, and
 * CloudFront's limits checked at synth. What the edge cannot run (environment
 * variables, a VPC, layers, dead-letter queues, X-Ray, arm64) is refused with
 * a clear error instead of a failed deploy. Attach it with
 * `SecureDistribution`'s `edgeFunctions`.
 *
 * @example
 * const headers = new SecureEdgeFunction(this, 'Headers', {
 *   entry: path.join(__dirname, 'edge/headers.ts'),
 *   eventType: cloudfront.LambdaEdgeEventType.VIEWER_RESPONSE,
 * });
 * new SecureDistribution(this, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(site), edgeFunctions: [headers] });
 */
export class SecureEdgeFunction extends Construct {
  /** The region Lambda@Edge functions are created in. */
  public static readonly EDGE_REGION: string = EDGE_REGION;

  /** The most memory CloudFront allows a function on a viewer event, in MB. */
  public static readonly MAX_VIEWER_MEMORY_SIZE: number = MAX_VIEWER_MEMORY;

  /** The longest timeout CloudFront allows a function on a viewer event. */
  public static readonly MAX_VIEWER_TIMEOUT: Duration = MAX_VIEWER_TIMEOUT;

  /** The longest timeout CloudFront allows a function on an origin event. */
  public static readonly MAX_ORIGIN_TIMEOUT: Duration = MAX_ORIGIN_TIMEOUT;

  /** The function. */
  public readonly function: lambda.Function;
  /** The numbered version CloudFront runs. */
  public readonly currentVersion: lambda.IVersion;
  /** The CloudFront event it handles. */
  public readonly eventType: cloudfront.LambdaEdgeEventType;
  /** Whether CloudFront passes it the request body. */
  public readonly includeBody: boolean;
  /** Its log group in us-east-1 (`/aws/lambda/us-east-1.<name>`); replicas write to groups of that name in the regions they run in. */
  public readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: SecureEdgeFunctionProps) {
    super(scope, id);
    // The edge writes to /aws/lambda/us-east-1.<name> (created below, encrypted); the `cdk init` flag would add an unencrypted
    // /aws/lambda/<name> group for the function. Context must be set before the first child.
    this.node.setContext(cxapi.USE_CDK_MANAGED_LAMBDA_LOGGROUP, false);
    const profile = readProfile(this);
    checkProps(this, props, profile);
    const viewer = VIEWER_EVENTS.includes(props.eventType);
    const runtime = props.runtime ?? latestRuntimeOf('nodejs');
    const source = functionSource(this, 'Function', {
      ...props,
      bundling: props.entry === undefined ? undefined : { ...props.bundling, sourceMap: props.bundling?.sourceMap ?? false },
    }, runtime);

    // An explicit name: the role's log statement names the function's log groups, which a reference to the function would turn into a
    // cycle. It ends with the first block of the stack's id, new on each creation: the log group kept from a deleted stack (RETAIN)
    // never blocks a redeploy.
    const stackIdBlock = Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
    const functionName = `${Names.uniqueResourceName(this, { maxLength: 55, separator: '-' })}-${stackIdBlock}`;
    const role = new ScopedRole(this, 'ServiceRole', {
      assumedBy: new iam.CompositePrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'), new iam.ServicePrincipal('edgelambda.amazonaws.com')),
      description: `Execution role of the Lambda@Edge function ${this.node.path}`,
      customerManagedPolicy: profile === SecurityProfile.REGULATED,
    });
    const logGroupName = `/aws/lambda/${EDGE_REGION}.${functionName}`;
    const logResources = [
      `arn:${Aws.PARTITION}:logs:*:${Aws.ACCOUNT_ID}:log-group:${logGroupName}`,
      `arn:${Aws.PARTITION}:logs:*:${Aws.ACCOUNT_ID}:log-group:${logGroupName}:*`,
    ];
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: logResources }));
    acknowledgeWildcardResources(role, logResources, AcknowledgementCause.AWS_FORCED,
      'Lambda@Edge writes its logs to /aws/lambda/us-east-1.<function name> in whichever region served the request, and their streams have generated names: ' +
        'the region and the stream cannot be named');

    this.logGroup = createSecureLogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: StackKey.of(this),
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION[profile],
    });

    // Guarded: a property injector (a team's Blueprint, or SecureDefaults for plain functions) must not give the function
    // what the edge refuses at deploy (an environment, a dead-letter queue, tracing, a VPC, layers, arm64) or another role.
    this.function = new lambda.Function(this, 'Function', guardedProps(this, 'Function', 'SecureEdgeFunction', FUNCTION_BASE, {
      functionName,
      code: source.code,
      handler: source.handler,
      runtime,
      description: props.description,
      role,
      memorySize: props.memorySize ?? MAX_VIEWER_MEMORY,
      timeout: props.timeout ?? (viewer ? MAX_VIEWER_TIMEOUT : DEFAULT_ORIGIN_TIMEOUT),
      architecture: lambda.Architecture.X86_64,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    }, SECURED_EDGE_FUNCTION_PROPS));
    this.function.node.addDependency(this.logGroup);
    source.writeSbom(this.function);
    this.currentVersion = this.function.currentVersion;
    this.eventType = props.eventType;
    this.includeBody = props.includeBody ?? false;

    acknowledge(this.function, AcknowledgementCause.AWS_FORCED, RULES.lambdaTracing, 'Lambda@Edge does not run X-Ray tracing');
    acknowledge(this.function, AcknowledgementCause.AWS_FORCED, RULES.lambdaDeadLetterQueue,
      'Lambda@Edge takes no dead-letter queue: CloudFront invokes it synchronously, a failure is the viewer\'s error response');
    if (profile === SecurityProfile.REGULATED) {
      acknowledge(this.function, AcknowledgementCause.AWS_FORCED, RULES.lambdaInVpc, 'Lambda@Edge cannot be attached to a VPC: it runs in the regions that serve viewers');
    }

    requireDeployRegion(this, 'InEdgeRegion', EDGE_REGION, `${this.node.path} is a Lambda@Edge function, which AWS creates in us-east-1 only: deploy this stack there.`);
  }

  /** The association a distribution's behaviour takes. @internal */
  public _edgeLambda(): cloudfront.EdgeLambda {
    return { functionVersion: this.currentVersion, eventType: this.eventType, includeBody: this.includeBody || undefined };
  }
}

function checkProps(scope: Construct, props: SecureEdgeFunctionProps, profile: SecurityProfile): void {
  const problems = new ProblemCollector(scope);
  if (!requireProps(problems, props, '{ entry, eventType: cloudfront.LambdaEdgeEventType.VIEWER_REQUEST }')) {
    problems.throwIfAny();
  }
  const p = props as unknown as Record<string, unknown>;
  for (const [prop, what] of Object.entries(REFUSED_AT_THE_EDGE)) {
    problems.require(p[prop] === undefined, `\`${prop}\`: Lambda@Edge does not run ${what}; AWS would refuse the function at deploy.`);
  }
  requireEnumValue(problems, 'eventType', p.eventType, cloudfront.LambdaEdgeEventType as unknown as Record<string, string>, 'cloudfront.LambdaEdgeEventType', true);
  checkSource(problems, p);
  requireInstanceOf(problems, 'runtime', p.runtime, lambda.Runtime, 'a lambda.Runtime, e.g. `lambda.Runtime.NODEJS_22_X`');
  requireOptionalNumber(problems, 'memorySize', p.memorySize, '128');
  requireDuration(problems, 'timeout', p.timeout, 'Duration.seconds(5)');
  requireOptionalBoolean(problems, 'includeBody', p.includeBody);
  requireOptionalNumber(problems, 'reservedConcurrentExecutions', p.reservedConcurrentExecutions, '10');
  requireOptionalNonEmptyString(problems, 'description', p.description);
  problems.throwIfAny();

  const viewer = VIEWER_EVENTS.includes(props.eventType);
  const family = props.runtime?.family;
  problems.require(
    props.runtime === undefined || family === lambda.RuntimeFamily.NODEJS || family === lambda.RuntimeFamily.PYTHON,
    `\`runtime\` must be a Node.js or Python runtime (the ones Lambda@Edge runs), got: ${received(props.runtime?.name)}.`,
  );
  const memory = props.memorySize;
  if (memory !== undefined && !Token.isUnresolved(memory)) {
    const max = viewer ? MAX_VIEWER_MEMORY : 10240;
    problems.require(
      Number.isInteger(memory) && memory >= 128 && memory <= max,
      `\`memorySize\` must be a whole number of MB from 128 to ${max}${viewer ? ' (CloudFront\'s limit for viewer events)' : ''}, got: ${received(memory)}.`,
    );
  }
  if (props.timeout !== undefined && !Token.isUnresolved(props.timeout.toSeconds())) {
    const max = viewer ? MAX_VIEWER_TIMEOUT : MAX_ORIGIN_TIMEOUT;
    problems.require(
      props.timeout.toSeconds() >= 1 && props.timeout.toSeconds() <= max.toSeconds(),
      `\`timeout\` must be 1 to ${max.toSeconds()} seconds (CloudFront's limit for ${viewer ? 'viewer' : 'origin'} events), got: ${props.timeout.toSeconds()} seconds.`,
    );
  }
  problems.require(
    !props.includeBody || REQUEST_EVENTS.includes(props.eventType),
    `\`includeBody\` applies to request events only (VIEWER_REQUEST, ORIGIN_REQUEST), got eventType: ${received(props.eventType)}.`,
  );
  checkLogRetention(problems, 'logRetention', props.logRetention, profile);
  problems.require(
    profile !== SecurityProfile.REGULATED || props.reservedConcurrentExecutions !== undefined,
    'the REGULATED profile requires `reservedConcurrentExecutions` (HIPAA / NIST 800-53 R5: functions with reserved concurrency).',
  );
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region) && region !== EDGE_REGION) {
    throw new AegisValidationError(scope.node.path, [
      `Lambda@Edge functions are created in ${EDGE_REGION}, but this stack is in ${region}: put the SecureEdgeFunction in a ${EDGE_REGION} stack ` +
        '(with `crossRegionReferences: true` on both stacks, a distribution elsewhere can take it).',
    ]);
  }
  problems.throwIfAny();
}
