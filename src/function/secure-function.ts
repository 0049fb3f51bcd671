import { Duration, IResolveContext, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EntryBundling } from './bundling';
import { addFunctionRule, DEFAULT_RULE_MAX_EVENT_AGE, DEFAULT_RULE_RETRY_ATTEMPTS, FunctionEventRuleOptions, FunctionScheduleOptions } from './event-rules';
import { createDeadLetterQueue } from '../core/dead-letter-queue';
import { grantKeyUseViaService, StackKey } from '../core/encryption';
import { AegisValidationError, ProblemCollector, received } from '../core/errors';
import { checkJustification, recordOptOut, Toggle } from '../core/justification';
import { checkLogRetention, createSecureLogGroup, DEFAULT_LOG_RETENTION } from '../core/log-group';
import { RULES } from '../core/nag-rule-ids';
import { checkSource, functionSource } from './private/function-source';
import { guardedProps, LateBound, SecuredProp } from '../core/private/construction';
import { DeadLetterWatch } from '../core/private/dead-letter-watch';
import { LAMBDA_VPC_ACTIONS, XRAY_WRITE_ACTIONS } from '../core/private/forced-wildcards';
import {
  requireDuration, requireInstanceOf, requireInterface, requireOptionalArray,
  requireOptionalBoolean, requireOptionalMap, requireOptionalNumber, requireOptionalString, requireOptionalStringMap, requireProps, requireStruct,
} from '../core/private/input-checks';
import { latestRuntimeOf } from '../core/private/runtime';
import { detectSecret, findDynamicSecretReference } from '../core/private/secret-detector';
import { readProfile, SecurityProfile } from '../core/profile';
import { attachSharedForcedPolicy, ScopedRole } from '../core/role';
import { AlarmConfig, AlarmSetting, checkAlarmSettings, recordAlarmOptOuts, SharedConstructAlarm } from '../monitoring/alarm-setting';
import { applySharedAlarms, describeWindow, Monitoring, SharedSignal } from '../monitoring/monitoring';
import { grantSecretRead } from '../secrets/private/grant-read';

/** Default timeout: explicit, well under API Gateway's 29 s integration limit. */
export const DEFAULT_TIMEOUT = Duration.seconds(10);
/** Default memory: explicit (the Serverless pack flags Lambda's 128 MB default). */
export const DEFAULT_MEMORY_SIZE = 256;
/** Suffix of the environment variable that carries a secret's ARN. */
export const SECRET_ARN_ENV_SUFFIX = '_SECRET_ARN';

const MIN_TIMEOUT_SECONDS = 1;
const MAX_TIMEOUT_SECONDS = 900;
const MIN_MEMORY = 128;
const MAX_MEMORY = 10240;
const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Props of {@link SecureFunction}.
 *
 * There is no pass-through of `lambda.FunctionProps`: every control is either
 * set here with a secure default or turned off with a `Toggle` and a reason.
 */
export interface SecureFunctionProps {
  /**
   * The function's prebuilt code. Exactly one of `code` and `entry`. Its
   * SBOM is written when the asset directory has a package-lock.json.
   *
   * @default - none: pass `entry` instead
   */
  readonly code?: lambda.Code;

  /**
   * A TypeScript or JavaScript file (`.ts`, `.js`, `.mjs`, `.mts`) bundled
   * with esbuild, locally (install it as for `NodejsFunction`:
   * `npm install --save-dev esbuild`). The runtime's AWS SDK v3 stays
   * external, the bundle is minified with source maps
   * (`NODE_OPTIONS=--enable-source-maps`), for the runtime's Node.js version.
   * A CycloneDX SBOM of every package bundled is written to
   * `cdk.out/sbom/<stack>.<construct path>.cdx.json`. Exactly one of `code`
   * and `entry`.
   *
   * @default - none: pass `code` instead
   */
  readonly entry?: string;

  /**
   * With `code`: the handler, e.g. `index.handler` (required). With `entry`:
   * the name of the exported function.
   *
   * @default - `handler` with `entry`; required with `code`
   */
  readonly handler?: string;

  /**
   * How `entry` is bundled (esbuild options: external and installed
   * modules, defines, loaders, format, tsconfig, lock file, project root).
   *
   * @default - the secure defaults described at `entry`
   */
  readonly bundling?: EntryBundling;

  /**
   * The runtime.
   *
   * @default - the newest Node.js runtime aws-cdk-lib knows (the one the LambdaLatestVersion rules require)
   */
  readonly runtime?: lambda.Runtime;

  /**
   * A description of the function.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Plain configuration. A value that looks like a secret (keys, tokens,
   * private keys, passwords, credentials in URLs, `{{resolve:secretsmanager:...}}`
   * references) is an error: pass secrets with `secrets` instead.
   *
   * @default - no variables
   */
  readonly environment?: { [key: string]: string };

  /**
   * Secrets the function reads at run time. For each entry `NAME`, the
   * variable `NAME_SECRET_ARN` holds the secret's ARN (never its value) and
   * the function may read exactly that secret (and decrypt with its key).
   *
   * @default - no secrets
   */
  readonly secrets?: { [name: string]: secretsmanager.ISecret };

  /**
   * Add the AWS Parameters and Secrets Lambda extension layer, which caches
   * secret values in the execution environment.
   *
   * @default false
   */
  readonly parametersAndSecretsExtension?: boolean;

  /**
   * Maximum run time, between 1 and 900 seconds.
   *
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;

  /**
   * Memory in MB, between 128 and 10240.
   *
   * @default 256
   */
  readonly memorySize?: number;

  /**
   * The instruction set architecture.
   *
   * @default lambda.Architecture.X86_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * Layers to add.
   *
   * @default - none
   */
  readonly layers?: lambda.ILayerVersion[];

  /**
   * The VPC to attach the function to. **Required under REGULATED.**
   *
   * @default - not in a VPC (BASELINE)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where in `vpc` to place the function.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the function in `vpc`.
   *
   * @default - a new security group allowing outbound traffic only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Concurrency reserved for (and capping) the function. **Required under
   * REGULATED**, at least 1.
   *
   * @default - unreserved (BASELINE)
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Key for the environment variables, the log group and the dead-letter queue.
   *
   * @default - the customer-managed KMS key shared by the stack (`StackKey.of(this)`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Retention of the function's log group. Must be bounded; at least one
   * year under REGULATED.
   *
   * @default - 3 months (BASELINE), 1 year (REGULATED)
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Active X-Ray tracing. Turning it off needs a reason, recorded against
   * the tracing rules.
   *
   * @default Toggle.on()
   */
  readonly tracing?: Toggle;

  /**
   * A dead-letter queue (KMS-encrypted, TLS-only, 14 days) for failed
   * asynchronous invocations. Turning it off needs a reason, recorded against
   * the dead-letter-queue rules.
   *
   * @default Toggle.on()
   */
  readonly deadLetterQueue?: Toggle;

  /**
   * Alarm on errors. The function joins a metric-math alarm shared by up to
   * 10 functions of the stack with the same settings; threshold: errors
   * (Sum) per period. Turning it off needs a reason.
   *
   * @default - on: more than 0 errors in a 5-minute period
   */
  readonly errorsAlarm?: AlarmSetting;

  /**
   * Alarm on slow invocations, before they time out; threshold: p90
   * duration as a percentage of `timeout` (1 to 100). Shared like
   * `errorsAlarm`. Turning it off needs a reason.
   *
   * @default - on: p90 above 80% of the timeout in 3 of 5 one-minute periods
   */
  readonly durationAlarm?: AlarmSetting;

  /**
   * For a function invoked asynchronously (an EventBridge rule, S3, SNS, a
   * schedule: any AWS service given permission to invoke it, API Gateway
   * aside): an alarm on `DeadLetterErrors` (events that could not be written
   * to the dead-letter queue), and its dead-letter queue joins the stack's
   * dead-letter alarm. Shared like `errorsAlarm`; threshold: dead-letter
   * errors (Sum) per period. Turning it off needs a reason.
   *
   * @default - on for asynchronously invoked functions with a dead-letter queue: more than 0 in a 5-minute period
   */
  readonly deadLetterErrorsAlarm?: AlarmSetting;

  /**
   * Alarm on throttled invocations; threshold: throttles (Sum) per period.
   * Shared like `errorsAlarm`. On by default only when
   * `reservedConcurrentExecutions` is set (it caps the function); turning it
   * off then needs a reason.
   *
   * @default - on with `reservedConcurrentExecutions`: more than 0 throttles in a 5-minute period; off otherwise
   */
  readonly throttlesAlarm?: AlarmSetting;
}

/**
 * A Lambda function that is least-privilege, encrypted, logged, traced and
 * failure-safe by default. It is a `lambda.Function`: grants, metrics,
 * `addEventSource` and `addEnvironment` work as usual (and new environment
 * values are checked for secrets too).
 *
 * @example
 * const fn = new SecureFunction(this, 'Orders', {
 *   code: lambda.Code.fromAsset('dist/orders'),
 *   handler: 'index.handler',
 *   secrets: { STRIPE: stripeKey }, // env STRIPE_SECRET_ARN, read access to that secret only
 * });
 */
export class SecureFunction extends lambda.Function {
  /** Default timeout: explicit, well under API Gateway's 29 s integration limit. */
  public static readonly DEFAULT_TIMEOUT: Duration = DEFAULT_TIMEOUT;

  /** Default memory: explicit (the Serverless pack flags Lambda's 128 MB default). */
  public static readonly DEFAULT_MEMORY_SIZE: number = DEFAULT_MEMORY_SIZE;

  /** Suffix of the environment variable that carries a secret's ARN. */
  public static readonly SECRET_ARN_ENV_SUFFIX: string = SECRET_ARN_ENV_SUFFIX;

  /** Retries of a rule's delivery (`addSchedule`, `addEventRule`) before the event goes to the dead-letter queue. */
  public static readonly DEFAULT_RULE_RETRY_ATTEMPTS: number = DEFAULT_RULE_RETRY_ATTEMPTS;

  /** How long a rule (`addSchedule`, `addEventRule`) keeps retrying an event before it goes to the dead-letter queue. */
  public static readonly DEFAULT_RULE_MAX_EVENT_AGE: Duration = DEFAULT_RULE_MAX_EVENT_AGE;

  /** The key encrypting the environment, the log group and the dead-letter queue. */
  public readonly encryptionKey: kms.IKey;

  private readonly secretNames = new Set<string>();
  private readonly ownLogGroup: logs.ILogGroup;
  private readonly asyncAlarms: AsyncAlarmConfigs;
  private watchedAsAsync = false;

  constructor(scope: Construct, id: string, props: SecureFunctionProps) {
    const profile = readProfile(scope);
    const alarms = checkProps(scope, id, props, profile);
    const runtime = props.runtime ?? latestRuntimeOf('nodejs');
    const source = functionSource(scope, id, props, runtime);

    const key = props.encryptionKey ?? StackKey.of(scope);
    const tracing = props.tracing ?? Toggle.on();
    const deadLetters = props.deadLetterQueue ?? Toggle.on();

    // The role and the log group are children of this function, so they can only be created after super();
    // lambda.Function needs them in its constructor, so it gets stand-ins that forward to them once they exist.
    const path = [scope.node.path, id].filter((p) => p).join('/');
    const earlyStatements: iam.PolicyStatement[] = [];
    const pendingRole: LateBound<iam.IRole> = new LateBound<iam.IRole>(`${path}/ServiceRole`, {
      roleArn: Lazy.string({ produce: (): string => pendingRole.ref.roleArn }),
      // Grants made to the stand-in before it is bound (e.g. by an injected prop) reach the real role.
      get grantPrincipal(): iam.IPrincipal { return pendingRole.ref; },
      principalAccount: Stack.of(scope).account,
      assumeRoleAction: 'sts:AssumeRole',
      addToPrincipalPolicy: (statement: iam.PolicyStatement) => {
        earlyStatements.push(statement);
        return { statementAdded: true, policyDependable: pendingRole.ref };
      },
    }, ['addManagedPolicy', 'attachInlinePolicy', 'grant', 'grantPassRole', 'grantAssumeRole']);
    const pendingLogGroup: LateBound<logs.ILogGroup> = new LateBound<logs.ILogGroup>(`${path}/LogGroup`, {
      logGroupArn: Lazy.string({ produce: (): string => pendingLogGroup.ref.logGroupArn }),
      logGroupName: Lazy.string({ produce: (): string => pendingLogGroup.ref.logGroupName }),
      logGroupRef: {
        get logGroupArn() { return pendingLogGroup.ref.logGroupArn; },
        get logGroupName() { return pendingLogGroup.ref.logGroupName; },
      } as logs.LogGroupReference,
    }, ['addStream', 'grant']);

    const baseProps: lambda.FunctionProps = {
      code: source.code,
      handler: source.handler,
      runtime,
      description: props.description,
      environment: source.environmentWith(props.environment),
      environmentEncryption: key,
      timeout: props.timeout ?? DEFAULT_TIMEOUT,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_SIZE,
      architecture: props.architecture,
      layers: props.layers,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      loggingFormat: lambda.LoggingFormat.JSON,
      paramsAndSecrets: props.parametersAndSecretsExtension
        ? lambda.ParamsAndSecretsLayerVersion.fromVersion(lambda.ParamsAndSecretsVersions.V1_0_103)
        : undefined,
      role: pendingRole.ref,
      logGroup: pendingLogGroup.ref,
    };
    super(scope, id, guardedProps(scope, id, 'SecureFunction', { name: 'lambda.Function', injectionId: lambda.Function.PROPERTY_INJECTION_ID },
      baseProps, securedFunctionProps(scope, tracing.enabled)));

    this.encryptionKey = key;
    const executionRole = pendingRole.bind(new ScopedRole(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
      customerManagedPolicy: profile === SecurityProfile.REGULATED,
    }));
    // lambda.Function keeps the role it was given as `role` and `grantPrincipal`: from here on, the real one.
    (this as { role?: iam.IRole }).role = executionRole;
    (this as { grantPrincipal: iam.IPrincipal }).grantPrincipal = executionRole;
    earlyStatements.forEach((statement) => executionRole.addToPrincipalPolicy(statement));
    this.ownLogGroup = pendingLogGroup.bind(createSecureLogGroup(this, 'LogGroup', {
      encryptionKey: key,
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION[profile],
    }));

    // Logs: write to its own log group only (the log group's ARN covers its streams).
    this.addToRolePolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
    }));

    const cfn = this.node.defaultChild as lambda.CfnFunction;
    if (tracing.enabled) {
      cfn.tracingConfig = { mode: lambda.Tracing.ACTIVE };
      attachSharedForcedPolicy(this, 'AegisXRayWriteAccess', 'cdk-aegis: X-Ray write access for traced functions', XRAY_WRITE_ACTIONS, executionRole);
    } else {
      recordOptOut(this, 'tracing', tracing.justification!, RULES.lambdaTracing);
    }

    if (deadLetters.enabled) {
      const queue = createDeadLetterQueue(this, 'DeadLetterQueue', { encryptionKey: key, owner: 'a Lambda function' });
      cfn.deadLetterConfig = { targetArn: queue.queueArn };
      (this as { deadLetterQueue?: sqs.IQueue }).deadLetterQueue = queue;
      this.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
      // Sending to a KMS-encrypted queue also needs the key, via SQS only.
      grantKeyUseViaService(key, this, 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt']);
    } else {
      recordOptOut(this, 'deadLetterQueue', deadLetters.justification!, RULES.lambdaDeadLetterQueue);
    }

    if (this.isBoundToVpc) {
      const vpcPolicy = attachSharedForcedPolicy(
        this,
        'AegisLambdaVpcAccess',
        'cdk-aegis: network-interface management for functions in a VPC',
        LAMBDA_VPC_ACTIONS,
        executionRole,
      );
      // Lambda checks these permissions when it creates the function (the function, not its role, waits).
      (this.node.defaultChild as lambda.CfnFunction).node.addDependency(vpcPolicy);
    }

    for (const [name, secret] of Object.entries(props.secrets ?? {})) {
      this.addSecret(name, secret);
    }

    applySharedAlarms(Monitoring.of(this), { label: this.node.path, dimensions: [{ name: 'FunctionName', value: this.functionName }] },
      this, FUNCTION_ALARMS, alarms);
    recordAlarmOptOuts(this, props, functionAlarmDefaults(props));
    recordAlarmOptOuts(this, props, ASYNC_SOURCE_ALARMS);
    this.asyncAlarms = { deadLetterErrorsAlarm: alarms.deadLetterErrorsAlarm };
    Monitoring.of(this)._addWidgets(() => functionWidgets(this));
    source.writeSbom(this);
  }

  /** The function's own log group: KMS-encrypted, with bounded retention. */
  public get logGroup(): logs.ILogGroup {
    return this.ownLogGroup;
  }

  /**
   * Adds a permission to invoke the function. When it lets an AWS service
   * invoke it asynchronously (EventBridge, S3, SNS, schedules, ...), the
   * function's dead-letter queue joins the stack's dead-letter alarm and its
   * `DeadLetterErrors` join the shared alarm (`deadLetterErrorsAlarm`): an
   * asynchronous event that fails is never lost unseen.
   */
  public addPermission(id: string, permission: lambda.Permission): void {
    super.addPermission(id, permission);
    if (isAsyncServiceInvoke(permission)) {
      this.watchAsAsync();
    }
  }

  private watchAsAsync(): void {
    if (this.watchedAsAsync || this.deadLetterQueue === undefined) {
      return;
    }
    this.watchedAsAsync = true;
    DeadLetterWatch.of(this).add(this.deadLetterQueue, this);
    applySharedAlarms(Monitoring.of(this), { label: this.node.path, dimensions: [{ name: 'FunctionName', value: this.functionName }] },
      this, ASYNC_SOURCE_ALARMS, this.asyncAlarms);
  }

  /**
   * Invokes the function on `schedule` through an EventBridge rule (a child
   * of the function, `id`): the target retries (`retryAttempts`, default 8,
   * for up to `maxEventAge`, default 24 hours), then sends the event to an
   * encrypted dead-letter queue only this rule may write to (its key lets
   * EventBridge encrypt for this account's rules). Only this rule, from this
   * account, may invoke the function (`SourceArn`, `SourceAccount`), and the
   * stack's alarms watch events the rule could not deliver.
   *
   * @param id the rule's construct id, e.g. `Nightly`
   * @param schedule e.g. `events.Schedule.cron({ hour: '3', minute: '0' })`
   */
  public addSchedule(id: string, schedule: events.Schedule, options: FunctionScheduleOptions = {}): events.Rule {
    return addFunctionRule(this, id, { schedule }, options, 'addSchedule');
  }

  /**
   * Invokes the function for the events `eventPattern` matches on the
   * default event bus (or `options.eventBus`), with the same failure path
   * and scoping as {@link addSchedule}.
   *
   * @param id the rule's construct id, e.g. `OnInstanceStopped`
   * @param eventPattern e.g. `{ source: ['aws.ec2'], detailType: ['EC2 Instance State-change Notification'] }`
   */
  public addEventRule(id: string, eventPattern: events.EventPattern, options: FunctionEventRuleOptions = {}): events.Rule {
    return addFunctionRule(this, id, { eventPattern }, options, 'addEventRule');
  }

  /**
   * Gives the function read access to exactly `secret`
   * (`secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret` on its
   * ARN, `kms:Decrypt` on its key through Secrets Manager only) and sets the environment variable
   * `<name>_SECRET_ARN` to its ARN.
   *
   * @param name the variable prefix, letters, digits and `_`, e.g. `STRIPE`
   * @param secret the secret to read
   */
  public addSecret(name: string, secret: secretsmanager.ISecret): SecureFunction {
    const problems = new ProblemCollector(this);
    checkSecretName(problems, 'secret name', name);
    problems.require(!this.secretNames.has(name), `secret name ${received(name)} is already used on this function; pick another name.`);
    problems.throwIfAny();
    this.secretNames.add(name);
    this.addEnvironment(`${name}${SECRET_ARN_ENV_SUFFIX}`, secret.secretArn);
    grantSecretRead(secret, this);
    return this;
  }

  /**
   * Adds an environment variable, rejecting values that look like secrets.
   */
  public addEnvironment(key: string, value: string, options?: lambda.EnvironmentOptions): this {
    const problem = environmentProblem(this, key, value);
    if (problem) {
      throw new AegisValidationError(this.node.path, [problem]);
    }
    return super.addEnvironment(key, value, options);
  }
}

/** A change is weaker when it drops or replaces a value we set; adding one where we set none is not. */
const dropsOrReplaces = (ours: unknown, theirs: unknown) => ours !== undefined && theirs !== ours;

/** The props SecureFunction secures on lambda.Function, and what to do instead of injecting them. */
function securedFunctionProps(scope: Construct, tracingOn: boolean): { [prop: string]: SecuredProp } {
  const ownRole = { instead: 'SecureFunction creates its own least-privilege role; grant to the function instead (`grantXxx(fn)`, `fn.addToRolePolicy(...)`)' };
  const ownLogGroup = { instead: 'SecureFunction logs to its own encrypted log group; set its retention with `logRetention`' };
  const deadLetters = { instead: 'SecureFunction sends failed events to its own encrypted queue; turn it off with `deadLetterQueue: Toggle.off({ reason })`' };
  const secured: { [prop: string]: SecuredProp } = {
    role: ownRole,
    logGroup: ownLogGroup,
    logRetention: ownLogGroup,
    logRetentionRole: ownLogGroup,
    logRemovalPolicy: ownLogGroup,
    environmentEncryption: { instead: 'choose the key with `encryptionKey`' },
    deadLetterQueue: deadLetters,
    deadLetterQueueEnabled: deadLetters,
    deadLetterTopic: deadLetters,
    environment: {
      instead: 'an injected value that looks like a secret belongs in Secrets Manager (`secrets: { NAME: secret }`)',
      weakens: (_ours, theirs) => Object.entries((theirs ?? {}) as { [key: string]: string })
        .some(([key, value]) => environmentProblem(scope, key, value) !== undefined),
    },
    vpc: { instead: 'pass `vpc` to the SecureFunction', weakens: dropsOrReplaces },
    vpcSubnets: { instead: 'pass `vpcSubnets` to the SecureFunction', weakens: dropsOrReplaces },
    securityGroups: { instead: 'pass `securityGroups` to the SecureFunction', weakens: dropsOrReplaces },
    allowPublicSubnet: { instead: 'SecureFunction never runs in public subnets', weakens: (_ours, theirs) => theirs === true },
    runtime: { instead: 'choose the runtime with `runtime` (the default is the newest of its family)' },
    reservedConcurrentExecutions: { instead: 'pass `reservedConcurrentExecutions` to the SecureFunction', weakens: dropsOrReplaces },
  };
  if (tracingOn) {
    secured.tracing = {
      instead: 'turn tracing off with `tracing: Toggle.off({ reason })`',
      weakens: (_ours, theirs) => theirs !== undefined && theirs !== lambda.Tracing.ACTIVE,
    };
  }
  return secured;
}

function checkSecretName(problems: ProblemCollector, label: string, name: string): void {
  problems.require(
    SECRET_NAME_PATTERN.test(name),
    `${label} must be letters, digits and \`_\` (not starting with a digit), got: ${received(name)}.`,
  );
}

function environmentProblem(scope: Construct, key: string, value: string): string | undefined {
  const why = findDynamicSecretReference(scope, value) ?? detectSecret(key, value);
  return why === undefined
    ? undefined
    : `\`environment.${key}\` looks like a secret: ${why}. Store it in Secrets Manager and pass it with \`secrets: { NAME: secret }\` ` +
        '(the function gets `NAME_SECRET_ARN` and read access to that secret only).';
}

/** The alarms of {@link SecureFunction} and their defaults (throttles: on with reserved concurrency). @internal */
export const FUNCTION_ALARMS: Record<'errorsAlarm' | 'durationAlarm' | 'throttlesAlarm', SharedConstructAlarm<SecureFunction, SharedSignal>> = {
  errorsAlarm: {
    signal: SharedSignal.FUNCTION_ERRORS,
    describe: (c) => `more than ${c.threshold} errors in ${describeWindow(c)}`,
    onByDefault: true,
    threshold: 0,
    minThreshold: 0,
    thresholdUnit: 'errors per period',
    period: Duration.minutes(5),
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  durationAlarm: {
    signal: SharedSignal.FUNCTION_DURATION,
    // Thresholds become milliseconds of the function's own timeout, so functions share a duration alarm only when they share a timeout.
    toMetricConfig: (c, fn) => ({ ...c, threshold: durationMillis(fn, c.threshold) }),
    metricDefaults: { period: Duration.minutes(1), evaluationPeriods: 5, datapointsToAlarm: 3, threshold: 80 * 10 * DEFAULT_TIMEOUT.toSeconds() },
    describe: (c, fn) => {
      const seconds = (fn.timeout ?? DEFAULT_TIMEOUT).toSeconds();
      return Token.isUnresolved(seconds)
        ? `p90 duration above ${c.threshold}% of its timeout in ${describeWindow(c)}`
        : `p90 duration above ${durationMillis(fn, c.threshold)} ms (${c.threshold}% of a ${seconds}-second timeout) in ${describeWindow(c)}`;
    },
    onByDefault: true,
    threshold: 80,
    minThreshold: 1,
    maxThreshold: 100,
    thresholdUnit: 'p90 duration, % of the timeout',
    period: Duration.minutes(1),
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
  },
  throttlesAlarm: {
    signal: SharedSignal.FUNCTION_THROTTLES,
    describe: (c) => `more than ${c.threshold} throttled invocations in ${describeWindow(c)}`,
    onByDefault: false,
    threshold: 0,
    minThreshold: 0,
    thresholdUnit: 'throttles per period',
    period: Duration.minutes(5),
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
};

/** The alarm of {@link SecureFunction} that applies once an AWS service may invoke it asynchronously. @internal */
export const ASYNC_SOURCE_ALARMS: Record<'deadLetterErrorsAlarm', SharedConstructAlarm<SecureFunction, SharedSignal>> = {
  deadLetterErrorsAlarm: {
    signal: SharedSignal.FUNCTION_DEAD_LETTER_ERRORS,
    describe: (c) => `more than ${c.threshold} events not written to the dead-letter queue in ${describeWindow(c)}`,
    onByDefault: true,
    threshold: 0,
    minThreshold: 0,
    thresholdUnit: 'dead-letter errors per period',
    period: Duration.minutes(5),
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
};

/** Service principals that invoke a function synchronously (their failures reach the caller, not a dead-letter queue). */
const SYNCHRONOUS_INVOKERS = new Set([
  'apigateway.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'lex.amazonaws.com', 'lexv2.amazonaws.com',
  'cognito-idp.amazonaws.com', 'vpc-lattice.amazonaws.com', 'bedrock.amazonaws.com', 'connect.amazonaws.com',
]);

/** Whether `permission` lets an AWS service invoke the function asynchronously (so its failures land in the dead-letter queue). */
function isAsyncServiceInvoke(permission: lambda.Permission): boolean {
  const invokes = (permission.action ?? 'lambda:InvokeFunction') === 'lambda:InvokeFunction'
    && permission.functionUrlAuthType === undefined && !permission.invokedViaFunctionUrl;
  // `ServicePrincipal.withConditions(...)` wraps the service principal: look through the wrapper.
  let principal: iam.IPrincipal = permission.principal;
  while (principal instanceof iam.PrincipalWithConditions) {
    principal = (principal as unknown as { wrapped: iam.IPrincipal }).wrapped;
  }
  return invokes && principal instanceof iam.ServicePrincipal && !SYNCHRONOUS_INVOKERS.has(principal.service);
}

type FunctionAlarmProp = keyof typeof FUNCTION_ALARMS;
type FunctionAlarmConfigs = { [P in FunctionAlarmProp]?: AlarmConfig };
type AsyncAlarmConfigs = { [P in keyof typeof ASYNC_SOURCE_ALARMS]?: AlarmConfig };

/** The defaults of this function's alarms: throttles are on by default when reserved concurrency caps it. */
function functionAlarmDefaults(props: SecureFunctionProps): typeof FUNCTION_ALARMS {
  return { ...FUNCTION_ALARMS, throttlesAlarm: { ...FUNCTION_ALARMS.throttlesAlarm, onByDefault: props.reservedConcurrentExecutions !== undefined } };
}

/** `percent` % of `fn`'s timeout in milliseconds (a token when the timeout is one). */
function durationMillis(fn: SecureFunction, percent: number): number {
  const seconds = (fn.timeout ?? DEFAULT_TIMEOUT).toSeconds();
  return Token.isUnresolved(seconds)
    ? Lazy.uncachedNumber({ produce: (context: IResolveContext) => Math.round(percent * 10 * context.resolve(seconds)) })
    : Math.round(percent * 10 * seconds);
}

/** Invocations, errors and throttles; p90 duration against the timeout. */
function functionWidgets(fn: SecureFunction): cloudwatch.IWidget[] {
  const period = Duration.minutes(1);
  return [
    new cloudwatch.GraphWidget({
      title: `${fn.node.path}: invocations`,
      width: 12,
      left: [fn.metricInvocations({ period }), fn.metricErrors({ period }), fn.metricThrottles({ period })],
    }),
    new cloudwatch.GraphWidget({
      title: `${fn.node.path}: duration (p90)`,
      width: 12,
      left: [fn.metricDuration({ period, statistic: 'p90' })],
      leftAnnotations: fn.timeout && !fn.timeout.isUnresolved() ? [{ value: fn.timeout.toMilliseconds(), label: 'timeout' }] : undefined,
    }),
  ];
}

function checkProps(scope: Construct, id: string, props: SecureFunctionProps, profile: SecurityProfile): FunctionAlarmConfigs & AsyncAlarmConfigs {
  const problems = new ProblemCollector(scope, id);
  checkInputTypes(problems, props);
  // Wrong types stop here: the checks below read these props.
  problems.throwIfAny();
  const alarms = {
    ...checkAlarmSettings(problems, props, functionAlarmDefaults(props)),
    ...checkAlarmSettings(problems, props, ASYNC_SOURCE_ALARMS),
  };

  if (props.timeout !== undefined && !Token.isUnresolved(props.timeout.toSeconds())) {
    const seconds = props.timeout.toSeconds();
    problems.require(
      seconds >= MIN_TIMEOUT_SECONDS && seconds <= MAX_TIMEOUT_SECONDS,
      `\`timeout\` must be between ${MIN_TIMEOUT_SECONDS} and ${MAX_TIMEOUT_SECONDS} seconds, got: ${seconds}.`,
    );
  }
  if (props.memorySize !== undefined && !Token.isUnresolved(props.memorySize)) {
    problems.require(
      Number.isInteger(props.memorySize) && props.memorySize >= MIN_MEMORY && props.memorySize <= MAX_MEMORY,
      `\`memorySize\` must be a whole number of MB between ${MIN_MEMORY} and ${MAX_MEMORY}, got: ${props.memorySize}.`,
    );
  }
  if (props.reservedConcurrentExecutions !== undefined && !Token.isUnresolved(props.reservedConcurrentExecutions)) {
    problems.require(
      Number.isInteger(props.reservedConcurrentExecutions) && props.reservedConcurrentExecutions >= 1,
      `\`reservedConcurrentExecutions\` must be a whole number of at least 1 (0 throttles every call), got: ${props.reservedConcurrentExecutions}.`,
    );
  }
  if ((props.vpcSubnets || props.securityGroups) && !props.vpc) {
    problems.add('`vpcSubnets` and `securityGroups` need `vpc`; pass the VPC too.');
  }
  if (profile === SecurityProfile.REGULATED) {
    const missing = [props.vpc === undefined ? '`vpc`' : undefined, props.reservedConcurrentExecutions === undefined ? '`reservedConcurrentExecutions`' : undefined]
      .filter((name) => name !== undefined);
    problems.require(
      missing.length === 0,
      `the REGULATED profile requires ${missing.join(' and ')} (HIPAA / NIST 800-53 R5 / PCI DSS: functions in a VPC, with reserved concurrency); ` +
        'pass them, or build this app under SecurityProfile.BASELINE.',
    );
  }
  checkLogRetention(problems, 'logRetention', props.logRetention, profile);
  if (props.tracing && !props.tracing.enabled) {
    checkJustification(problems, 'tracing', props.tracing.justification);
  }
  if (props.deadLetterQueue && !props.deadLetterQueue.enabled) {
    checkJustification(problems, 'deadLetterQueue', props.deadLetterQueue.justification);
  }
  for (const [key, value] of Object.entries(props.environment ?? {})) {
    const problem = environmentProblem(scope, key, value);
    if (problem) {
      problems.add(problem);
    }
  }
  for (const name of Object.keys(props.secrets ?? {})) {
    checkSecretName(problems, '`secrets` key', name);
    problems.require(
      props.environment?.[`${name}${SECRET_ARN_ENV_SUFFIX}`] === undefined,
      `\`environment.${name}${SECRET_ARN_ENV_SUFFIX}\` clashes with the variable \`secrets.${name}\` sets; rename one of them.`,
    );
  }
  problems.throwIfAny();
  return alarms;
}

/** Types of the props, as untyped callers (Python, Java, .NET, JavaScript) may get them wrong. */
function checkInputTypes(problems: ProblemCollector, props: SecureFunctionProps): void {
  if (!requireProps(problems, props, "`entry`, e.g. `{ entry: 'src/orders.ts' }`, or `code` and `handler`, e.g. `{ code: lambda.Code.fromAsset('dist'), handler: 'index.handler' }`")) {
    return;
  }
  const p = props as unknown as Record<keyof SecureFunctionProps, unknown>;
  checkSource(problems, p);
  requireInstanceOf(problems, 'runtime', p.runtime, lambda.Runtime, 'a lambda.Runtime member, e.g. `lambda.Runtime.NODEJS_22_X` (Python: `lambda_.Runtime.NODEJS_22_X`)');
  requireOptionalString(problems, 'description', p.description);
  requireOptionalStringMap(problems, 'environment', p.environment, "{ TABLE_NAME: 'orders' }");
  requireOptionalMap(problems, 'secrets', p.secrets, '{ STRIPE: stripeSecret }', (prop, value) =>
    requireInterface(problems, prop, value, 'secretArn', 'a secretsmanager.ISecret, e.g. a SecureSecret', true));
  requireOptionalBoolean(problems, 'parametersAndSecretsExtension', p.parametersAndSecretsExtension);
  requireDuration(problems, 'timeout', p.timeout, 'Duration.seconds(30)');
  requireOptionalNumber(problems, 'memorySize', p.memorySize, '512');
  requireInstanceOf(problems, 'architecture', p.architecture, lambda.Architecture, 'a lambda.Architecture member, e.g. `lambda.Architecture.ARM_64`');
  requireOptionalArray(problems, 'layers', p.layers, '[layer]', (prop, value) =>
    requireInterface(problems, prop, value, 'layerVersionArn', 'a lambda.ILayerVersion', true));
  requireInterface(problems, 'vpc', p.vpc, 'vpcId', 'an ec2.IVpc, e.g. `ec2.Vpc.fromLookup(...)` or a new ec2.Vpc');
  requireStruct(problems, 'vpcSubnets', p.vpcSubnets, '{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }');
  requireOptionalArray(problems, 'securityGroups', p.securityGroups, '[securityGroup]', (prop, value) =>
    requireInterface(problems, prop, value, 'securityGroupId', 'an ec2.ISecurityGroup', true));
  requireOptionalNumber(problems, 'reservedConcurrentExecutions', p.reservedConcurrentExecutions, '10');
  requireInterface(problems, 'encryptionKey', p.encryptionKey, 'keyArn', 'a kms.IKey, e.g. a kms.Key');
  requireInstanceOf(problems, 'tracing', p.tracing, Toggle, '`Toggle.on()` or `Toggle.off({ reason })`');
  requireInstanceOf(problems, 'deadLetterQueue', p.deadLetterQueue, Toggle, '`Toggle.on()` or `Toggle.off({ reason })`');
}
