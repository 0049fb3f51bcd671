import { ArnFormat, AspectPriority, Aspects, CfnResource, RemovalPolicy, Stage, IAspect, IPropertyInjector, IResolvable, IResolveContext, InjectionContext, Names, PropertyInjectors, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { HardenedConstruct, HardeningControl } from './controls';
import { ExactGrantActions } from './exact-grants';
import { ACCESS_LOG_PREFIX, apiGatewayAccountLogging, EXECUTION_LOG_PREFIX } from '../api/private/account-logging';
import { DEFAULT_THROTTLING } from '../api/secure-api';
import { associateWebAcl, SecureWebAcl } from '../api/secure-web-acl';
import { createDeadLetterQueue } from '../core/dead-letter-queue';
import { allowAdmittedServicesToUseKey, allowServiceToUseKey, grantKeyUseViaService, KeyDestination, keyUsedThrough, StackKey } from '../core/encryption';
import { ProblemCollector, received } from '../core/errors';
import { acknowledge, AcknowledgementCause, checkJustification, Justification } from '../core/justification';
import { createSecureLogGroup, DEFAULT_LOG_RETENTION } from '../core/log-group';
import { RULES } from '../core/nag-rule-ids';
import { isLibraryBuilt } from '../core/private/construction';
import { XRAY_WRITE_ACTIONS } from '../core/private/forced-wildcards';
import { HARDENING_METADATA, HardeningRecord } from '../core/private/hardening-record';
import { requireEnumValue, requireOptionalArray, requireInstanceOf, requireStruct } from '../core/private/input-checks';
import { latestRuntimeOf } from '../core/private/runtime';
import { acknowledgeWildcardResources, flattenReference } from '../core/private/wildcard-findings';
import { readProfile } from '../core/profile';
import { attachSharedForcedPolicy } from '../core/role';
import { ACCESS_LOGS_BUCKET_ID, accessLogsBucket, allowLogDeliveryFrom, PRIVATE_BUCKET } from '../data/access-logs-bucket';
import { SecureQueue } from '../data/secure-queue';
import { SecureFunction } from '../function/secure-function';

/** Where `SecureDefaults` leaves the app's constructs as they are, with the reason. */
export class HardeningSkip {
  /**
   * Leaves the construct at `constructPath` (and everything under it) as written.
   *
   * @param constructPath e.g. `Orders/LegacyQueue`
   */
  public static path(constructPath: string, justification: Justification): HardeningSkip {
    return new HardeningSkip(justification, constructPath, undefined);
  }

  /** Does not fill `control` anywhere in the scope. */
  public static control(control: HardeningControl, justification: Justification): HardeningSkip {
    return new HardeningSkip(justification, undefined, control);
  }

  private constructor(
    /** Why. */
    public readonly justification: Justification,
    /** The construct path it leaves alone, if it is a path skip. */
    public readonly skippedPath?: string,
    /** The control it does not fill, if it is a control skip. */
    public readonly skippedControl?: HardeningControl,
  ) {}
}

/** Options of `SecureDefaults.apply()`. */
export interface SecureDefaultsOptions {
  /**
   * Constructs or controls to leave as the app writes them, each with a reason
   * (recorded in the hardening report and the compliance ledger).
   *
   * @default - harden everything covered
   */
  readonly skip?: HardeningSkip[];
}

/**
 * The secure defaults of cdk-aegis for an app's own plain aws-cdk-lib
 * constructs: one line, before the constructs are created.
 *
 * ```ts
 * const app = new App();
 * SecureDefaults.of(app).apply();   // or of(stage) / of(stack)
 * Compliance.of(app).enforce();
 * // ...the team's existing code, unchanged
 * ```
 *
 * It registers aws-cdk-lib property injectors that fill only what the app
 * left unset; an explicit choice stays, and the hardening report (written
 * with the compliance reports) lists it with the fix. cdk-aegis's own
 * constructs are never touched: they are secure already.
 *
 * Covered: tables (Table, TableV2), queues, topics, secrets, log groups,
 * buckets, functions, REST APIs, aws-cdk-lib's S3 notification handler, and
 * exact actions instead of the wildcards of `grant*()` calls. Not yet: the
 * REGULATED profile's extra controls.
 */
export class SecureDefaults {
  /** Metadata type of the per-construct hardening records. */
  public static readonly METADATA_TYPE: string = HARDENING_METADATA;

  /**
   * The secure defaults of `scope`: an App, a Stage or a Stack.
   */
  public static of(scope: IConstruct): SecureDefaults {
    return new SecureDefaults(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /**
   * Registers the injectors on the scope. Call it before the constructs it
   * should harden are created; a construct created earlier is left as it is,
   * and calling it when covered constructs already exist under the scope fails.
   */
  public apply(options: SecureDefaultsOptions = {}): void {
    const skips = checkOptions(this.scope, options);
    const existing = this.scope.node.findAll().filter((c) => c !== this.scope && coveredKindOf(c) !== undefined);
    if (existing.length > 0) {
      const problems = new ProblemCollector(this.scope, this.scope.node.path ? undefined : 'App');
      problems.add(
        `SecureDefaults.of(...).apply() must come before the constructs it hardens; ${existing.length} already exist ` +
          `(${existing.slice(0, 3).map((c) => c.node.path).join(', ')}${existing.length > 3 ? ', …' : ''}). Call it right after \`new App()\` (or the Stage or Stack).`,
      );
      problems.throwIfAny();
    }
    const applied = this.scope as unknown as { [APPLIED]?: boolean };
    if (applied[APPLIED]) {
      return;
    }
    Object.defineProperty(applied, APPLIED, { value: true, enumerable: false });
    const aspects = new HardeningAspects(this.scope, skips);
    const injectors = PropertyInjectors.of(this.scope);
    for (const hardener of HARDENERS) {
      // A team's own injector for the same construct runs first; ours then fills what is still unset.
      const theirs = injectors.for(hardener.uniqueId);
      injectors.add(new HardeningInjector(hardener, skips, aspects, theirs));
    }
  }
}

/**
 * The mutating aspects that finish what the injectors start. Aspects do not
 * cross into a Stage (each Stage runs its own when it synthesizes, before
 * its parent's), so they are added to the scope, and to every nested Stage
 * in which an injector hardens a construct.
 */
class HardeningAspects {
  private readonly added = new Set<IConstruct>();

  constructor(private readonly scope: IConstruct, private readonly skips: HardeningSkip[]) {
    this.addTo(scope);
  }

  /** Makes sure the aspects run where `construct` is synthesized. */
  public reach(construct: IConstruct): void {
    const stage = owningStage(construct);
    if (stage !== undefined && stage !== owningStage(this.scope)) {
      this.addTo(stage);
    }
  }

  private addTo(target: IConstruct): void {
    if (this.added.has(target)) {
      return;
    }
    this.added.add(target);
    const aspects = Aspects.of(target);
    aspects.add(new BucketAccessLogs(), { priority: AspectPriority.MUTATING });
    aspects.add(new FunctionRoles(), { priority: AspectPriority.MUTATING });
    aspects.add(new RestApiGuards(), { priority: AspectPriority.MUTATING });
    aspects.add(new QueueDeadLetters(), { priority: AspectPriority.MUTATING });
    aspects.add(new KeyAdmissions(), { priority: AspectPriority.MUTATING });
    if (!this.skips.some((s) => s.skippedControl === HardeningControl.FUNCTION_LOGS)) {
      aspects.add(new NotificationHandlerRole(), { priority: AspectPriority.MUTATING });
    }
    if (!this.skips.some((s) => s.skippedControl === HardeningControl.GRANT_EXACT_ACTIONS)) {
      const skippedPaths = this.skips.filter((s) => s.skippedPath !== undefined).map((s) => s.skippedPath!);
      aspects.add(new ExactGrantActions(skippedPaths), { priority: AspectPriority.MUTATING });
    }
  }
}

/** The Stage (or App) `construct` is synthesized in: itself if it is one, else the nearest above. */
function owningStage(construct: IConstruct): IConstruct | undefined {
  for (let c: IConstruct | undefined = construct; c !== undefined; c = c.node.scope) {
    if (Stage.isStage(c)) {
      return c;
    }
  }
  return undefined;
}

/**
 * What an injector leaves for an aspect, by child id, on the child's parent:
 * the injector runs before the child exists, the aspect once the app is built.
 */
function leftFor<T>(parent: IConstruct, kind: symbol): Map<string, T> {
  const holder = parent as unknown as Record<symbol, Map<string, T> | undefined>;
  if (!holder[kind]) {
    Object.defineProperty(holder, kind, { value: new Map<string, T>(), enumerable: false });
  }
  return holder[kind]!;
}

/** Takes (once) what an injector left for `node`, if it is a `type` and something was left. */
function takeLeft<N extends IConstruct, T>(
  node: IConstruct, type: abstract new (...args: any[]) => N, kind: symbol,
): { node: N; left: T } | undefined {
  const parent = node.node.scope;
  if (!(node instanceof type) || parent === undefined) {
    return undefined;
  }
  const all = leftFor<T>(parent, kind);
  const left = all.get(node.node.id);
  if (left === undefined) {
    return undefined;
  }
  all.delete(node.node.id);
  return { node, left };
}

/** Marks a scope SecureDefaults was applied to: a second `apply()` adds nothing. */
const APPLIED = Symbol.for('cdk-aegis.secure-defaults-applied');

/** How one construct type is hardened: fill unset props, keep explicit ones with the fix. */
interface Hardener {
  readonly kind: HardenedConstruct;
  readonly uniqueId: string;
  /** The controls it fills (a control skip is recorded only on the constructs it concerns). */
  readonly controls: readonly HardeningControl[];
  /** Records nothing (its work is reported on the construct that asked for it). */
  readonly quiet?: boolean;
  harden(props: Record<string, any>, record: HardeningRecord, context: InjectionContext): void;
}

class HardeningInjector implements IPropertyInjector {
  public readonly constructUniqueId: string;

  constructor(
    private readonly hardener: Hardener,
    private readonly skips: HardeningSkip[],
    private readonly aspects: HardeningAspects,
    private readonly theirs?: IPropertyInjector,
  ) {
    this.constructUniqueId = hardener.uniqueId;
  }

  public inject(originalProps: any, context: InjectionContext): any {
    const given = this.theirs ? this.theirs.inject(originalProps, context) : originalProps;
    if (isLibraryBuilt(given)) {
      return given;
    }
    this.aspects.reach(context.scope);
    const path = context.scope.node.path ? `${context.scope.node.path}/${context.id}` : context.id;
    const skippedHere = this.skips.find((s) => s.skippedPath !== undefined && (path === s.skippedPath || path.startsWith(`${s.skippedPath}/`)));
    const record = new HardeningRecord(context.id, this.hardener.kind);
    if (skippedHere) {
      record.skip('*', skippedHere.justification.reason);
      if (!this.hardener.quiet) {
        context.scope.node.addMetadata(HARDENING_METADATA, record.toJson());
      }
      return given;
    }
    const props: Record<string, any> = { ...(given ?? {}) };
    for (const skip of this.skips.filter((s) => s.skippedControl !== undefined && this.hardener.controls.includes(s.skippedControl))) {
      record.skip(skip.skippedControl!, skip.justification.reason);
    }
    this.hardener.harden(props, record, context);
    if (!this.hardener.quiet) {
      context.scope.node.addMetadata(HARDENING_METADATA, record.toJson());
    }
    return props;
  }
}

/** Fills `prop` with `value()` when unset, unless `control` is skipped; records what happened. */
function fill(
  props: Record<string, any>, record: HardeningRecord, control: HardeningControl, prop: string, value: () => unknown, described: string,
): boolean {
  if (record.isSkipped(control)) {
    return false;
  }
  if (props[prop] !== undefined) {
    return false;
  }
  props[prop] = value();
  record.add(control, described);
  return true;
}

const TABLE: Hardener = {
  kind: HardenedConstruct.TABLE,
  uniqueId: dynamodb.Table.PROPERTY_INJECTION_ID,
  controls: [HardeningControl.TABLE_ENCRYPTION, HardeningControl.TABLE_POINT_IN_TIME_RECOVERY, HardeningControl.TABLE_DELETION_PROTECTION],
  harden(props, record, { scope }) {
    const replicated = (props.replicationRegions ?? []).length > 0;
    if (replicated && props.encryption === undefined) {
      record.decide('encryption', 'a replicated table cannot take a customer managed key through `Table`: use TableV2 with a key per replica region');
    } else if (!record.isSkipped(HardeningControl.TABLE_ENCRYPTION) && props.encryption === undefined && props.encryptionKey === undefined) {
      props.encryption = dynamodb.TableEncryption.CUSTOMER_MANAGED;
      props.encryptionKey = StackKey.of(scope);
      record.add(HardeningControl.TABLE_ENCRYPTION, 'encrypted with the stack key');
    } else if (props.encryption !== undefined && props.encryption !== dynamodb.TableEncryption.CUSTOMER_MANAGED) {
      record.keep('encryption', props.encryption, 'use `encryption: TableEncryption.CUSTOMER_MANAGED` with a key of yours (or leave it unset)');
    }
    pointInTimeRecovery(props, record);
    deletionProtection(props, record);
  },
};

const TABLE_V2: Hardener = {
  kind: HardenedConstruct.TABLE_V2,
  uniqueId: dynamodb.TableV2.PROPERTY_INJECTION_ID,
  controls: [HardeningControl.TABLE_ENCRYPTION, HardeningControl.TABLE_POINT_IN_TIME_RECOVERY, HardeningControl.TABLE_DELETION_PROTECTION],
  harden(props, record, { scope }) {
    // TableV2 names a key per replica region: an env-agnostic stack cannot render one (aws-cdk-lib refuses), so it is left to decide.
    if (Token.isUnresolved(Stack.of(scope).region) || (props.replicas ?? []).length > 0) {
      if (props.encryption === undefined && !record.isSkipped(HardeningControl.TABLE_ENCRYPTION)) {
        record.decide('encryption', 'pass `encryption: TableEncryptionV2.customerManagedKey(key, replicaKeyArns)`: a TableV2 key is per replica region (and needs a region-bound stack)');
      }
    } else {
      fill(props, record, HardeningControl.TABLE_ENCRYPTION, 'encryption', () => dynamodb.TableEncryptionV2.customerManagedKey(StackKey.of(scope)), 'encrypted with the stack key');
    }
    pointInTimeRecovery(props, record);
    deletionProtection(props, record);
  },
};

function pointInTimeRecovery(props: Record<string, any>, record: HardeningRecord): void {
  const set = props.pointInTimeRecoverySpecification?.pointInTimeRecoveryEnabled ?? props.pointInTimeRecovery;
  if (set === false) {
    record.keep('pointInTimeRecovery', false, 'turn point-in-time recovery on: without it a bad write cannot be undone');
  } else if (set === undefined && !record.isSkipped(HardeningControl.TABLE_POINT_IN_TIME_RECOVERY)) {
    props.pointInTimeRecoverySpecification = { pointInTimeRecoveryEnabled: true };
    record.add(HardeningControl.TABLE_POINT_IN_TIME_RECOVERY, 'point-in-time recovery');
  }
}

function deletionProtection(props: Record<string, any>, record: HardeningRecord): void {
  if (props.removalPolicy === RemovalPolicy.DESTROY) {
    return; // the app means to delete it with the stack
  }
  if (props.deletionProtection === false) {
    record.keep('deletionProtection', false, 'turn deletion protection on: one call deletes the table otherwise');
  }
  fill(props, record, HardeningControl.TABLE_DELETION_PROTECTION, 'deletionProtection', () => true, 'deletion protection');
}

const QUEUE: Hardener = {
  kind: HardenedConstruct.QUEUE,
  uniqueId: sqs.Queue.PROPERTY_INJECTION_ID,
  controls: [HardeningControl.QUEUE_ENCRYPTION, HardeningControl.QUEUE_TLS_ONLY, HardeningControl.QUEUE_DEAD_LETTER_QUEUE],
  harden(props, record, { scope, id }) {
    if (props.deadLetterQueue === undefined && !record.isSkipped(HardeningControl.QUEUE_DEAD_LETTER_QUEUE)) {
      // Decided once the app is built: a queue that is itself a dead-letter target gets none (see QueueDeadLetters).
      leftFor<true>(scope, QUEUE_WANTS).set(id, true);
      record.add(HardeningControl.QUEUE_DEAD_LETTER_QUEUE, 'a dead-letter queue after 5 receives, unless the queue is itself a dead-letter target');
    }
    if (props.encryption !== undefined && props.encryption !== sqs.QueueEncryption.KMS) {
      record.keep('encryption', props.encryption, 'use `encryption: QueueEncryption.KMS` with a key whose policy admits the services that send here (or leave it unset)');
    } else if (props.encryptionMasterKey === undefined && !record.isSkipped(HardeningControl.QUEUE_ENCRYPTION)) {
      props.encryption = sqs.QueueEncryption.KMS;
      // Grants on it (grantSendMessages, grantConsumeMessages) go through SQS or SNS only, as SecureQueue's do.
      props.encryptionMasterKey = keyUsedThrough(StackKey.of(scope));
      // The services the queue's policy lets send are admitted to the key once the app is built (see KeyAdmissions).
      leftFor<true>(scope, KEY_WANTS).set(id, true);
      record.add(HardeningControl.QUEUE_ENCRYPTION,
        'encrypted with the stack key; the services its policy lets send may use the key (senders granted by hand need kms:GenerateDataKey through SQS)');
    }
    tlsOnly(props, record, HardeningControl.QUEUE_TLS_ONLY);
  },
};

const TOPIC: Hardener = {
  kind: HardenedConstruct.TOPIC,
  uniqueId: sns.Topic.PROPERTY_INJECTION_ID,
  controls: [HardeningControl.TOPIC_ENCRYPTION, HardeningControl.TOPIC_TLS_ONLY],
  harden(props, record, { scope, id }) {
    if (props.masterKey === undefined && !record.isSkipped(HardeningControl.TOPIC_ENCRYPTION)) {
      // Grants on it (grantPublish) go through SNS or SQS only, as SecureTopic's do.
      props.masterKey = keyUsedThrough(StackKey.of(scope));
      // The services the topic's policy lets publish, and CloudWatch for the alarms that notify it, are admitted once the app is built.
      leftFor<true>(scope, KEY_WANTS).set(id, true);
      record.add(HardeningControl.TOPIC_ENCRYPTION,
        'encrypted with the stack key; the services its policy lets publish and CloudWatch alarms may use the key (publishers granted by hand need kms:GenerateDataKey)');
    }
    tlsOnly(props, record, HardeningControl.TOPIC_TLS_ONLY);
  },
};

function tlsOnly(props: Record<string, any>, record: HardeningRecord, control: HardeningControl): void {
  if (props.enforceSSL === false) {
    record.keep('enforceSSL', false, 'accept TLS requests only (`enforceSSL: true`)');
  }
  fill(props, record, control, 'enforceSSL', () => true, 'TLS-only resource policy');
}

const SECRET: Hardener = {
  kind: HardenedConstruct.SECRET,
  uniqueId: secretsmanager.Secret.PROPERTY_INJECTION_ID,
  controls: [HardeningControl.SECRET_ENCRYPTION],
  harden(props, record, { scope }) {
    fill(props, record, HardeningControl.SECRET_ENCRYPTION, 'encryptionKey', () => StackKey.of(scope), 'encrypted with the stack key');
    record.decide('rotation', 'add a rotation schedule (`secret.addRotationSchedule`), or record why the secret is rotated elsewhere');
  },
};

const LOG_GROUP: Hardener = {
  kind: HardenedConstruct.LOG_GROUP,
  uniqueId: logs.LogGroup.PROPERTY_INJECTION_ID,
  controls: [HardeningControl.LOG_GROUP_ENCRYPTION],
  harden(props, record, { scope }) {
    fill(props, record, HardeningControl.LOG_GROUP_ENCRYPTION, 'encryptionKey', () => StackKey.of(scope), 'encrypted with the stack key');
    if (props.retention === logs.RetentionDays.INFINITE) {
      record.keep('retention', 'INFINITE', 'set a retention: logs kept forever are kept at growing cost, and no one decided how long evidence lives');
    }
    // No retention is filled: aws-cdk-lib's default (two years) is bounded, and a shorter one would delete existing logs on deploy.
  },
};

/** Buckets whose injector asked for access logs: the logging configuration is set on the L1 once the bucket exists. */
const WANTS_ACCESS_LOGS = Symbol.for('cdk-aegis.secure-defaults-access-logs');

const BUCKET: Hardener = {
  kind: HardenedConstruct.BUCKET,
  uniqueId: s3.Bucket.PROPERTY_INJECTION_ID,
  controls: [
    HardeningControl.BUCKET_TLS_ONLY, HardeningControl.BUCKET_NO_PUBLIC_ACCESS,
    HardeningControl.BUCKET_VERSIONING, HardeningControl.BUCKET_ACCESS_LOGS,
  ],
  harden(props, record, { scope, id }) {
    // No stack key by default: S3 encrypts every object with SSE-S3 already, and a KMS key breaks the buckets other services
    // write or read without a key policy (server access logs, ALB and CloudFront logs, websites, OAI origins).
    if (props.encryption === undefined && props.encryptionKey === undefined) {
      record.decide('encryption', 'SSE-S3 (S3\'s default); for SSE-KMS with a key of yours, pass `encryptionKey` where no AWS service writes or serves the objects');
    }
    if (props.enforceSSL === false) {
      record.keep('enforceSSL', false, 'accept TLS requests only (`enforceSSL: true`)');
    }
    if (fill(props, record, HardeningControl.BUCKET_TLS_ONLY, 'enforceSSL', () => true, 'TLS-only bucket policy (TLS 1.2 or newer)')) {
      props.minimumTLSVersion = props.minimumTLSVersion ?? PRIVATE_BUCKET.minimumTLSVersion;
    }
    if (props.publicReadAccess === true) {
      record.keep('publicReadAccess', true, 'serve public content through CloudFront with origin access control, and block public access');
    }
    // An app that uses ACLs (access logs, public-read) keeps them: blocking them would fail its synth.
    const usesAcls = props.accessControl !== undefined || props.objectOwnership !== undefined;
    const publicOrAcl = props.publicReadAccess === true || usesAcls;
    if (props.blockPublicAccess === undefined && !publicOrAcl && !record.isSkipped(HardeningControl.BUCKET_NO_PUBLIC_ACCESS)) {
      props.blockPublicAccess = PRIVATE_BUCKET.blockPublicAccess;
      record.add(HardeningControl.BUCKET_NO_PUBLIC_ACCESS, 'all four public access blocks');
    }
    if (props.versioned === false) {
      record.keep('versioned', false, 'keep object versions: an overwrite or delete cannot be undone otherwise');
    }
    fill(props, record, HardeningControl.BUCKET_VERSIONING, 'versioned', () => true, 'versioning');
    const logsUnset = props.serverAccessLogsBucket === undefined && props.serverAccessLogsPrefix === undefined;
    if (logsUnset && !record.isSkipped(HardeningControl.BUCKET_ACCESS_LOGS)) {
      // The L2 would grant log delivery with ACLs (without the cdk init flag), which bucket-owner ownership forbids:
      // the logging configuration is set on the L1 once the bucket exists, and the log bucket's policy names it.
      leftFor<true>(scope, WANTS_ACCESS_LOGS).set(id, true);
      record.add(HardeningControl.BUCKET_ACCESS_LOGS, `server access logs to the stack's ${ACCESS_LOGS_BUCKET_ID}`);
    }
  },
};

/** Sets the access logging of the buckets whose injector asked for it (see WANTS_ACCESS_LOGS). */
class BucketAccessLogs implements IAspect {
  public visit(construct: IConstruct): void {
    const taken = takeLeft<s3.Bucket, true>(construct, s3.Bucket, WANTS_ACCESS_LOGS);
    if (!taken) {
      return;
    }
    const node = taken.node;
    const cfn = node.node.defaultChild as s3.CfnBucket;
    if (cfn.loggingConfiguration !== undefined) {
      return; // set on the L1 by the app (an escape hatch): kept
    }
    const destination = accessLogsBucket(node);
    cfn.loggingConfiguration = {
      destinationBucketName: destination.bucketName,
      logFilePrefix: `${Names.uniqueResourceName(node, { maxLength: 200 })}/`,
    };
    allowLogDeliveryFrom(destination, node);
  }
}

/** What a function's injector left for the aspect, once the function (and its role) exist. */
interface FunctionWants {
  /** Its own log group: its role may write there (whoever made the role). */
  logGroup?: logs.ILogGroup;
  /** The role aws-cdk-lib made for it: AWSLambdaBasicExecutionRole (logs on `*`) removed. */
  dropBasicExecution?: boolean;
  tracing?: boolean;
  deadLetters?: boolean;
}
const FUNCTION_WANTS = Symbol.for('cdk-aegis.secure-defaults-functions');


const FUNCTION: Hardener = {
  kind: HardenedConstruct.FUNCTION,
  uniqueId: lambda.Function.PROPERTY_INJECTION_ID,
  controls: [
    HardeningControl.FUNCTION_LOGS, HardeningControl.FUNCTION_ENCRYPTION, HardeningControl.FUNCTION_TRACING,
    HardeningControl.FUNCTION_DEAD_LETTER_QUEUE, HardeningControl.FUNCTION_LIMITS,
  ],
  harden(props, record, { scope, id }) {
    if (scope instanceof cloudfront.experimental.EdgeFunction || Stack.of(scope).node.id.startsWith('edge-lambda-stack')) {
      // Lambda@Edge allows no environment, no dead-letter queue, and at most 128 MB and 5 s on viewer triggers.
      record.decide('edge function', 'Lambda@Edge is not hardened by SecureDefaults (its limits differ)');
      return;
    }
    const key = StackKey.of(scope);
    const wants: FunctionWants = {};
    // A role the app passed may be shared or imported: only a role this app defines (iam.Role) can take new permissions.
    const ownRole = props.role === undefined;
    const mutableRole = ownRole || props.role instanceof iam.Role;
    fill(props, record, HardeningControl.FUNCTION_LIMITS, 'timeout', () => SecureFunction.DEFAULT_TIMEOUT, `timeout ${SecureFunction.DEFAULT_TIMEOUT.toSeconds()} s`);
    fill(props, record, HardeningControl.FUNCTION_LIMITS, 'memorySize', () => SecureFunction.DEFAULT_MEMORY_SIZE, `memory ${SecureFunction.DEFAULT_MEMORY_SIZE} MB`);
    fill(props, record, HardeningControl.FUNCTION_ENCRYPTION, 'environmentEncryption', () => key, 'environment encrypted with the stack key');
    if (props.logGroup === undefined && props.logRetention === undefined && mutableRole && !record.isSkipped(HardeningControl.FUNCTION_LOGS)) {
      const retention = DEFAULT_LOG_RETENTION[readProfile(Stack.of(scope))];
      props.logGroup = createSecureLogGroup(scope, `${id}LogGroup`, { encryptionKey: key, retention });
      wants.logGroup = props.logGroup;
      record.add(HardeningControl.FUNCTION_LOGS, `its own log group (the stack key, ${retention} days)`);
      if (ownRole) {
        wants.dropBasicExecution = true;
        record.add(HardeningControl.FUNCTION_LOGS, 'a role that writes logs to that group only (no AWSLambdaBasicExecutionRole)');
      }
    }
    if (props.tracing === lambda.Tracing.DISABLED || props.tracing === lambda.Tracing.PASS_THROUGH) {
      record.keep('tracing', props.tracing, 'use `tracing: Tracing.ACTIVE`: without it no request can be followed across services');
    } else if (props.tracing === undefined && mutableRole && !record.isSkipped(HardeningControl.FUNCTION_TRACING)) {
      // Set on the L1 by the aspect, with X-Ray's `*` in the stack's shared, acknowledged policy (the L2 would put it in the role's own).
      wants.tracing = true;
      record.add(HardeningControl.FUNCTION_TRACING, 'active X-Ray tracing');
    }
    const noDeadLetters = props.deadLetterQueue === undefined && props.deadLetterTopic === undefined && props.deadLetterQueueEnabled === undefined;
    if (props.deadLetterQueueEnabled === false) {
      record.keep('deadLetterQueueEnabled', false, 'keep failed asynchronous invocations: a dead-letter queue or an on-failure destination');
    } else if (noDeadLetters && mutableRole && !record.isSkipped(HardeningControl.FUNCTION_DEAD_LETTER_QUEUE)) {
      props.deadLetterQueue = createDeadLetterQueue(scope, `${id}DeadLetterQueue`, { encryptionKey: key, owner: 'a Lambda function' });
      wants.deadLetters = true;
      record.add(HardeningControl.FUNCTION_DEAD_LETTER_QUEUE, 'an encrypted dead-letter queue');
    }
    const runtime: lambda.Runtime | undefined = props.runtime;
    const family = runtime?.name ? /^[a-z]+/.exec(runtime.name)?.[0] : undefined;
    if (runtime && family && runtime.family !== undefined && latestNameOf(family) !== undefined && latestNameOf(family) !== runtime.name) {
      record.decide('runtime', `${runtime.name} is pinned; move to ${latestNameOf(family)} when the code is ready`);
    }
    leftFor<FunctionWants>(scope, FUNCTION_WANTS).set(id, wants);
  },
};

function latestNameOf(family: string): string | undefined {
  try {
    return latestRuntimeOf(family).name;
  } catch {
    return undefined;
  }
}

/** A role's managed policy ARNs without AWSLambdaBasicExecutionRole (logs on `*`), resolved when the template is. */
class WithoutBasicExecutionRole implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly original: unknown) {}

  public resolve(context: IResolveContext): unknown {
    const arns = context.resolve(this.original);
    if (!Array.isArray(arns)) {
      return arns;
    }
    const kept = arns.filter((arn) => !flattenReference(arn).endsWith('/AWSLambdaBasicExecutionRole'));
    return kept.length > 0 ? kept : undefined;
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/** After the functions exist: logs scoped to their own group, tracing on the L1, the dead-letter queue's key. */
class FunctionRoles implements IAspect {
  public visit(construct: IConstruct): void {
    const taken = takeLeft<lambda.Function, FunctionWants>(construct, lambda.Function, FUNCTION_WANTS);
    if (!taken) {
      return;
    }
    const { node, left: wants } = taken;
    const role = node.role;
    if (wants.dropBasicExecution && role instanceof iam.Role && role.node.scope === node) {
      const cfnRole = role.node.defaultChild as iam.CfnRole;
      cfnRole.managedPolicyArns = Token.asList(new WithoutBasicExecutionRole(cfnRole.managedPolicyArns));
    }
    if (wants.logGroup && role instanceof iam.Role) {
      // Every function that uses the role can write its own group (a role shared by functions serves each of them).
      node.addToRolePolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [wants.logGroup.logGroupArn] }));
    }
    const cfnFunction = node.node.defaultChild as lambda.CfnFunction;
    if (wants.tracing && cfnFunction.tracingConfig === undefined) {
      cfnFunction.tracingConfig = { mode: lambda.Tracing.ACTIVE };
      if (role) {
        attachSharedForcedPolicy(node, 'AegisXRayWriteAccess', 'cdk-aegis: X-Ray write access for traced functions', XRAY_WRITE_ACTIONS, role);
      }
    }
    if (wants.deadLetters) {
      // Sending to a KMS-encrypted queue also needs the key, through SQS only.
      grantKeyUseViaService(StackKey.of(node), node, 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt']);
    }
  }
}

/** What a REST API's injector left for the aspect, once the API and its stage exist. */
interface RestApiWants {
  validator?: boolean;
  webAcl?: boolean;
  /** The stage's name, when the injector configured the stage (execution log group, account logging). */
  stageName?: string;
  /** Methods authorized with IAM by default: COG4 acknowledged as a rule defect, as SecureApi does. */
  iamByDefault?: boolean;
}
const REST_API_WANTS = Symbol.for('cdk-aegis.secure-defaults-rest-apis');


const REST_API: Hardener = {
  kind: HardenedConstruct.REST_API,
  uniqueId: apigateway.RestApi.PROPERTY_INJECTION_ID,
  controls: [HardeningControl.API_AUTHORIZATION, HardeningControl.API_REQUEST_VALIDATION, HardeningControl.API_WEB_ACL, HardeningControl.API_STAGE],
  harden(props, record, { scope, id }) {
    const wants: RestApiWants = {};
    const methodOptions = props.defaultMethodOptions ?? {};
    if (methodOptions.authorizationType === apigateway.AuthorizationType.NONE) {
      record.keep('defaultMethodOptions.authorizationType', 'NONE', 'authorize every method (IAM, Cognito or a Lambda authorizer)');
    } else if (methodOptions.authorizationType === undefined && methodOptions.authorizer === undefined
      && !record.isSkipped(HardeningControl.API_AUTHORIZATION)) {
      // Set per method (the Method injector), not in defaultMethodOptions: a method's own authorizer must keep working.
      wants.iamByDefault = true;
      record.add(HardeningControl.API_AUTHORIZATION, 'AWS IAM (SigV4) on every method that chose no authorization (CORS preflight excepted)');
      record.decide('authorizer', 'callers now sign their requests (SigV4); for end users, a Cognito or Lambda authorizer may fit better');
    }
    if (!record.isSkipped(HardeningControl.API_REQUEST_VALIDATION)) {
      wants.validator = true;
      record.add(HardeningControl.API_REQUEST_VALIDATION, 'a request validator (body and parameters) on every method without one');
      record.decide('request schema', 'give each method with a body a JSON schema model, so the validator checks its shape');
    }
    if (props.deploy !== false && !record.isSkipped(HardeningControl.API_WEB_ACL)) {
      wants.webAcl = true;
      record.add(HardeningControl.API_WEB_ACL, 'a SecureWebAcl (AWS managed rule groups, per-IP rate rule) on the stage');
    }
    if (props.deploy !== false && !record.isSkipped(HardeningControl.API_STAGE)) {
      const given = props.deployOptions ?? {};
      const stageName = given.stageName ?? 'prod';
      const key = StackKey.of(scope);
      const retention = DEFAULT_LOG_RETENTION[readProfile(Stack.of(scope))];
      const filled: string[] = [];
      const set = (name: string, value: unknown) => {
        if (given[name] === undefined) {
          filled.push(name);
          return value;
        }
        return given[name];
      };
      props.deployOptions = {
        ...given,
        stageName,
        tracingEnabled: set('tracingEnabled', true),
        throttlingRateLimit: set('throttlingRateLimit', DEFAULT_THROTTLING.rateLimit),
        throttlingBurstLimit: set('throttlingBurstLimit', DEFAULT_THROTTLING.burstLimit),
        loggingLevel: set('loggingLevel', apigateway.MethodLoggingLevel.ERROR),
        dataTraceEnabled: set('dataTraceEnabled', false),
        metricsEnabled: set('metricsEnabled', true),
        // The access log group is named for the API (the account logging role writes only to API-Gateway-Access-Logs_*):
        // created when the stage binds it, as SecureApi does.
        accessLogDestination: set('accessLogDestination', {
          bind: (stage: apigateway.IStage) => {
            const restApiId = (stage.node.scope as apigateway.IRestApi).restApiId;
            const group = createSecureLogGroup(scope, `${id}AccessLogs`, { encryptionKey: key, retention, logGroupName: `${ACCESS_LOG_PREFIX}${restApiId}/${stageName}` });
            return { destinationArn: group.logGroupArn };
          },
        }),
        accessLogFormat: set('accessLogFormat', apigateway.AccessLogFormat.jsonWithStandardFields()),
      };
      if (given.dataTraceEnabled === true) {
        record.keep('deployOptions.dataTraceEnabled', true, 'turn data trace off: it logs full request and response bodies');
      }
      if (given.tracingEnabled === false) {
        record.keep('deployOptions.tracingEnabled', false, 'turn X-Ray tracing on');
      }
      if (filled.length > 0) {
        record.add(HardeningControl.API_STAGE, `stage ${stageName}: ${filled.join(', ')}`);
      }
      // An access log destination the app chose may be outside API-Gateway-* groups, which the scoped account role cannot write.
      if (props.cloudWatchRole === undefined && given.accessLogDestination === undefined) {
        // aws-cdk-lib's default role carries AmazonAPIGatewayPushToCloudWatchLogs (logs on *): the stack's scoped account role instead.
        props.cloudWatchRole = false;
        record.add(HardeningControl.API_STAGE, 'the stack\'s account logging role (API Gateway log groups only) instead of AmazonAPIGatewayPushToCloudWatchLogs');
        wants.stageName = stageName;
      }
    }
    leftFor<RestApiWants>(scope, REST_API_WANTS).set(id, wants);
  },
};

/** After the REST APIs exist: the execution log group and account logging, the validator, the web ACL, COG4 where IAM authorizes. */
class RestApiGuards implements IAspect {
  public visit(construct: IConstruct): void {
    const taken = takeLeft<apigateway.RestApi, RestApiWants>(construct, apigateway.RestApi, REST_API_WANTS);
    if (!taken) {
      return;
    }
    const { node, left: wants } = taken;
    const scope = node.node.scope as Construct;
    const id = node.node.id;
    const stage = node.deploymentStage as apigateway.Stage | undefined;
    if (wants.stageName !== undefined && stage) {
      const executionLogs = createSecureLogGroup(scope, `${id}ExecutionLogs`, {
        encryptionKey: StackKey.of(node),
        retention: DEFAULT_LOG_RETENTION[readProfile(Stack.of(node))],
        logGroupName: `${EXECUTION_LOG_PREFIX}${node.restApiId}/${wants.stageName}`,
      });
      // API Gateway creates the execution log group itself (unencrypted, kept forever) unless it exists first.
      stage.node.addDependency(executionLogs, apiGatewayAccountLogging(node).account);
    }
    const methods = node.methods;
    if (wants.validator) {
      const validator = node.addRequestValidator(`${REQUEST_VALIDATOR_ID}`, { validateRequestBody: true, validateRequestParameters: true });
      for (const method of methods) {
        const cfn = method.node.defaultChild as apigateway.CfnMethod;
        cfn.requestValidatorId = cfn.requestValidatorId ?? validator.requestValidatorId;
      }
    }
    if (wants.webAcl && stage) {
      const webAcl = new SecureWebAcl(scope, `${id}WebAcl`);
      associateWebAcl(webAcl, scope, `${id}WebAclAssociation`, stage.stageArn);
    }
    for (const method of methods) {
      if ((method.node.defaultChild as apigateway.CfnMethod).authorizationType === apigateway.AuthorizationType.IAM) {
        acknowledge(method, AcknowledgementCause.RULE_DEFECT, RULES.cognitoAuthorizerOnly,
          'the method is authorized with AWS IAM (SigV4-signed requests, set by SecureDefaults); the rule accepts only Cognito user-pool authorizers');
      }
    }
  }
}

/**
 * aws-cdk-lib's S3 notification handler (the L1 function behind
 * `bucket.addEventNotification`, one per stack): its role loses
 * AWSLambdaBasicExecutionRole (logs on `*`) and may write only the handler's
 * own log group, whose streams Lambda names (acknowledged as AWS-forced).
 */
class NotificationHandlerRole implements IAspect {
  public visit(node: IConstruct): void {
    const role = node.node.tryFindChild('Role');
    const fn = node.node.tryFindChild('Resource');
    // The handler's function is an L1 of its own class (`InLineLambda`), not a lambda.CfnFunction.
    if (!node.node.id.startsWith('BucketNotificationsHandler') || !(role instanceof iam.Role) || !(fn instanceof CfnResource) || fn.cfnResourceType !== 'AWS::Lambda::Function') {
      return;
    }
    const cfnRole = role.node.defaultChild as iam.CfnRole;
    // Visited once per synth pass: do not wrap twice.
    if (Token.isUnresolved(cfnRole.managedPolicyArns) && isWithout(cfnRole.managedPolicyArns)) {
      return;
    }
    cfnRole.managedPolicyArns = Token.asList(new WithoutBasicExecutionRole(cfnRole.managedPolicyArns));
    const logGroup = Stack.of(node).formatArn({ service: 'logs', resource: 'log-group', resourceName: `/aws/lambda/${fn.ref}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const policy = new iam.Policy(node, 'AegisLogs', {
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup] })],
    });
    acknowledgeWildcardResources(policy, [logGroup], AcknowledgementCause.AWS_FORCED,
      'Lambda names the log streams of a function\'s log group itself: the group\'s streams are the narrowest resource (set by SecureDefaults)');
    const record = new HardeningRecord(node.node.id, 'aws-cdk-lib S3 notification handler');
    record.add(HardeningControl.FUNCTION_LOGS, 'a role that writes logs to the handler\'s own log group only (no AWSLambdaBasicExecutionRole)');
    node.node.scope!.node.addMetadata(HARDENING_METADATA, record.toJson());
  }
}

const isWithout = (value: unknown) => Tokenization.reverse(value) instanceof WithoutBasicExecutionRole;

/** Queues and topics the injector encrypted with the stack key (by id, on their parent). */
const KEY_WANTS = Symbol.for('cdk-aegis.secure-defaults-keys');

/**
 * Lets each AWS service that a hardened queue's or topic's policy admits use
 * the stack key the injector gave it (as SecureQueue and SecureTopic do when a
 * statement is added to theirs), and CloudWatch when an alarm of the app
 * notifies a hardened topic: without it what the service sends is dropped
 * at run time (cdk-aegis's KMS1 rule).
 */
class KeyAdmissions implements IAspect {
  /** The queue and topic policies and the alarms of the app, found once (the aspect visits every construct). */
  private index?: { policies: Array<sqs.QueuePolicy | sns.TopicPolicy>; alarms: cloudwatch.CfnAlarm[] };

  public visit(construct: IConstruct): void {
    const queue = takeLeft<sqs.Queue, true>(construct, sqs.Queue, KEY_WANTS);
    const topic = queue ? undefined : takeLeft<sns.Topic, true>(construct, sns.Topic, KEY_WANTS);
    const key = queue?.node.encryptionMasterKey ?? topic?.node.masterKey;
    const resource = queue?.node ?? topic?.node;
    if (key === undefined || resource === undefined) {
      return;
    }
    this.index ??= indexOf(resource.node.root);
    const destination = queue ? KeyDestination.QUEUE : KeyDestination.TOPIC;
    const stack = Stack.of(resource);
    // A queue policy names its queues by URL, a topic policy its topics by ARN, an alarm its topics by ARN.
    const own = JSON.stringify(stack.resolve(queue ? queue.node.queueUrl : topic!.node.topicArn));
    const names = (value: unknown) => JSON.stringify(stack.resolve(value)) === own;
    for (const policy of this.index.policies.filter((p) => Stack.of(p) === stack)) {
      const named = policy instanceof sqs.QueuePolicy
        ? (policy.node.defaultChild as sqs.CfnQueuePolicy).queues
        : (policy.node.defaultChild as sns.CfnTopicPolicy).topics;
      if (named.some(names)) {
        for (const statement of [policy.document.toJSON()?.Statement ?? []].flat()) {
          allowAdmittedServicesToUseKey(key, iam.PolicyStatement.fromJson(statement), destination);
        }
      }
    }
    if (topic && this.index.alarms.some((alarm) => alarmActionsOf(alarm).some(names))) {
      allowServiceToUseKey(key, 'cloudwatch.amazonaws.com', { destination });
    }
  }
}

function indexOf(root: IConstruct): { policies: Array<sqs.QueuePolicy | sns.TopicPolicy>; alarms: cloudwatch.CfnAlarm[] } {
  const all = root.node.findAll();
  return {
    policies: all.filter((c): c is sqs.QueuePolicy | sns.TopicPolicy => c instanceof sqs.QueuePolicy || c instanceof sns.TopicPolicy),
    alarms: all.filter((c): c is cloudwatch.CfnAlarm => c instanceof cloudwatch.CfnAlarm),
  };
}

/** Every action of an alarm (alarm, OK and insufficient data), as the L1 holds them. */
function alarmActionsOf(alarm: cloudwatch.CfnAlarm): unknown[] {
  const stack = Stack.of(alarm);
  return [alarm.alarmActions, alarm.okActions, alarm.insufficientDataActions].flatMap((list) => [stack.resolve(list) ?? []].flat());
}

/** Queues whose injector asked for a dead-letter queue (by id, on their parent). */
const QUEUE_WANTS = Symbol.for('cdk-aegis.secure-defaults-queues');


/**
 * A dead-letter queue for each hardened queue that is not itself a
 * dead-letter target in its stack: another queue's, a function's, an
 * EventBridge target's, an SNS subscription's or an event source mapping's.
 * Giving a dead-letter queue a dead-letter queue would only move the failures.
 */
class QueueDeadLetters implements IAspect {
  public visit(construct: IConstruct): void {
    const taken = takeLeft<sqs.Queue, true>(construct, sqs.Queue, QUEUE_WANTS);
    if (!taken) {
      return;
    }
    const node = taken.node;
    const cfn = node.node.defaultChild as sqs.CfnQueue;
    if (cfn.redrivePolicy !== undefined) {
      return;
    }
    const target = deadLetterTargetOf(node);
    if (target !== undefined || /dead.?letter|dlq/i.test(node.node.id)) {
      // A dead-letter queue is where failures end: Serverless-SQSRedrivePolicy has no exemption for it (as for cdk-aegis's own).
      acknowledge(node, AcknowledgementCause.RULE_DEFECT, RULES.terminalDeadLetterQueue,
        'a dead-letter queue of the app (SecureDefaults found what sends its failures here); a redrive policy would only move them again');
      if (target === 'other service') {
        // AwsSolutions-SQS3 recognizes only queues and functions as dead-letter sources, not rules, subscriptions or mappings.
        acknowledge(node, AcknowledgementCause.RULE_DEFECT, RULES.deadLetterQueueOfOtherService,
          'the dead-letter queue of an EventBridge target, SNS subscription or event source mapping, which the rule does not recognize');
      }
      return;
    }
    const deadLetters = createDeadLetterQueue(node, 'DeadLetterQueue', {
      encryptionKey: StackKey.of(node),
      owner: 'an SQS queue',
      fifo: node.fifo,
      allowAnySourceQueue: true,
    });
    cfn.redrivePolicy = { deadLetterTargetArn: deadLetters.queueArn, maxReceiveCount: SecureQueue.DEFAULT_MAX_RECEIVE_COUNT };
  }
}

/** What in the queue's stack sends its failures to the queue: a queue or function (which the packs see), another service, or nothing. */
function deadLetterTargetOf(queue: sqs.Queue): 'queue or function' | 'other service' | undefined {
  const stack = Stack.of(queue);
  const arn = stack.resolve(queue.queueArn);
  const same = (value: unknown) => value !== undefined && JSON.stringify(stack.resolve(value)) === JSON.stringify(arn);
  const all = stack.node.findAll();
  const seenByPacks = (c: IConstruct) =>
    (c instanceof sqs.Queue && c.deadLetterQueue?.queue === queue) || (c instanceof lambda.Function && c.deadLetterQueue === queue);
  if (all.some(seenByPacks)) {
    return 'queue or function';
  }
  const other = all.some((c) =>
    (c instanceof sns.Subscription && (c as unknown as { deadLetterQueue?: sqs.IQueue }).deadLetterQueue === queue)
    || (c instanceof lambda.CfnEventSourceMapping && same((c.destinationConfig as any)?.onFailure?.destination))
    // The L1's properties resolve in their camelCase form.
    || (c instanceof events.CfnRule && [stack.resolve(c.targets)].flat().some((t: any) => same(t?.deadLetterConfig?.arn))));
  return other ? 'other service' : undefined;
}

/** Id of the request validator SecureDefaults adds to a REST API. */
const REQUEST_VALIDATOR_ID = 'AegisRequestValidator';

/**
 * Methods of a hardened REST API that chose no authorization (neither the
 * method nor the API's defaults) get AWS IAM; CORS preflight stays open, and
 * a method's own authorizer or explicit NONE stays as written.
 */
const METHOD: Hardener = {
  kind: HardenedConstruct.REST_API,
  uniqueId: apigateway.Method.PROPERTY_INJECTION_ID,
  controls: [HardeningControl.API_AUTHORIZATION],
  harden(props, record) {
    const api: IConstruct | undefined = props.resource?.api;
    const wants = api?.node.scope ? leftFor<RestApiWants>(api.node.scope, REST_API_WANTS).get(api.node.id) : undefined;
    const options = props.options ?? {};
    if (!wants?.iamByDefault || props.httpMethod === 'OPTIONS' || options.authorizationType !== undefined || options.authorizer !== undefined) {
      return;
    }
    props.options = { ...options, authorizationType: apigateway.AuthorizationType.IAM };
    record.add(HardeningControl.API_AUTHORIZATION, 'AWS IAM (SigV4) authorization');
  },
  quiet: true,
};

const HARDENERS: readonly Hardener[] = [TABLE, TABLE_V2, QUEUE, TOPIC, SECRET, LOG_GROUP, BUCKET, FUNCTION, REST_API, METHOD];

/** The covered kind of an existing construct, if it is one `apply()` would have hardened. */
function coveredKindOf(c: IConstruct): HardenedConstruct | undefined {
  if (c instanceof dynamodb.Table) return HardenedConstruct.TABLE;
  if (c instanceof dynamodb.TableV2) return HardenedConstruct.TABLE_V2;
  if (c instanceof sqs.Queue) return HardenedConstruct.QUEUE;
  if (c instanceof sns.Topic) return HardenedConstruct.TOPIC;
  if (c instanceof secretsmanager.Secret) return HardenedConstruct.SECRET;
  if (c instanceof logs.LogGroup) return HardenedConstruct.LOG_GROUP;
  if (c instanceof s3.Bucket) return HardenedConstruct.BUCKET;
  if (c instanceof lambda.Function) return HardenedConstruct.FUNCTION;
  if (c instanceof apigateway.RestApi) return HardenedConstruct.REST_API;
  return undefined;
}

/** Types of the options, as untyped callers (Python, Java, .NET, JavaScript) may get them wrong. */
function checkOptions(scope: IConstruct, options: SecureDefaultsOptions): HardeningSkip[] {
  const problems = new ProblemCollector(scope, scope.node.path ? undefined : 'App');
  const skips: HardeningSkip[] = [];
  if (requireStruct(problems, 'options', options, '{ skip: [HardeningSkip.path(\'Orders/Legacy\', { reason })] }', true)) {
    const o = options as unknown as Record<keyof SecureDefaultsOptions, unknown>;
    requireOptionalArray(problems, 'skip', o.skip, '[HardeningSkip.control(HardeningControl.TABLE_DELETION_PROTECTION, { reason })]', (prop, value) => {
      if (requireInstanceOf(problems, prop, value, HardeningSkip, 'HardeningSkip.path(path, { reason }) or HardeningSkip.control(control, { reason })', true)) {
        const skip = value as HardeningSkip;
        checkJustification(problems, prop, skip.justification);
        if (skip.skippedControl !== undefined) {
          requireEnumValue(problems, `${prop} control`, skip.skippedControl, HardeningControl, 'HardeningControl');
        } else if (typeof skip.skippedPath !== 'string' || skip.skippedPath.length === 0) {
          problems.add(`\`${prop}\` needs a construct path, got: ${received(skip.skippedPath)}.`);
        }
        skips.push(skip);
        return true;
      }
      return false;
    });
  }
  problems.throwIfAny();
  return skips;
}
