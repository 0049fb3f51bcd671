import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { grantSecretRead } from './private/grant-read';
import { grantKeyUseViaService, StackKey } from '../core/encryption';
import { ProblemCollector } from '../core/errors';
import { checkJustification, Justification, recordOptOut } from '../core/justification';
import { RULES } from '../core/nag-rule-ids';
import { guardedProps, SecuredProp } from '../core/private/construction';
import { requireDuration, requireInstanceOf, requireInterface, requireOptionalString, requireProps, requireStruct, shown } from '../core/private/input-checks';

/** Default rotation interval. */
export const DEFAULT_ROTATION_INTERVAL = Duration.days(30);
const MIN_ROTATION_DAYS = 1;
const MAX_ROTATION_DAYS = 1000;

/**
 * How a {@link SecureSecret} is rotated. Rotation is required; turning it off
 * takes a reason.
 */
export class SecretRotation {
  /**
   * Rotate with your own rotation function (e.g. a `SecureFunction`).
   *
   * @param rotationFunction the function Secrets Manager invokes to rotate
   * @param interval how often to rotate, 1 to 1000 days (default 30 days)
   */
  public static schedule(rotationFunction: lambda.IFunction, interval?: Duration): SecretRotation {
    return new SecretRotation('schedule', interval ?? DEFAULT_ROTATION_INTERVAL, rotationFunction);
  }

  /**
   * Rotate with a rotation function hosted by Secrets Manager (database
   * engines), e.g. `secretsmanager.HostedRotation.postgreSqlSingleUser()`.
   *
   * @param hostedRotation the hosted rotation to use
   * @param interval how often to rotate, 1 to 1000 days (default 30 days)
   */
  public static hosted(hostedRotation: secretsmanager.HostedRotation, interval?: Duration): SecretRotation {
    return new SecretRotation('hosted', interval ?? DEFAULT_ROTATION_INTERVAL, undefined, hostedRotation);
  }

  /**
   * No rotation, e.g. for a third-party API key only its vendor can rotate.
   * The reason is recorded against exactly the rotation rules.
   */
  public static none(justification: Justification): SecretRotation {
    return new SecretRotation('none', undefined, undefined, undefined, justification);
  }

  private constructor(
    /** `schedule`, `hosted` or `none`. */
    public readonly kind: string,
    /** How often the secret rotates. */
    public readonly interval?: Duration,
    /** The rotation function, for `schedule`. */
    public readonly rotationFunction?: lambda.IFunction,
    /** The hosted rotation, for `hosted`. */
    public readonly hostedRotation?: secretsmanager.HostedRotation,
    /** Why the secret is not rotated, for `none`. */
    public readonly justification?: Justification,
  ) {}
}

/**
 * Props of {@link SecureSecret}.
 */
export interface SecureSecretProps {
  /**
   * How the secret is rotated: `SecretRotation.schedule(fn)`,
   * `SecretRotation.hosted(...)` or `SecretRotation.none({ reason })`.
   */
  readonly rotation: SecretRotation;

  /**
   * A description of the secret.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Key that encrypts the secret.
   *
   * @default - the customer-managed KMS key shared by the stack (`StackKey.of(this)`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How the initial value is generated. Set the real value out of band
   * (console, CLI or rotation), never in code.
   *
   * @default - a random 32-character password
   */
  readonly generateSecretString?: secretsmanager.SecretStringGenerator;
}

/** The props SecureSecret secures on secretsmanager.Secret, and what to do instead of injecting them. */
const SECURED_SECRET_PROPS: { [prop: string]: SecuredProp } = {
  encryptionKey: { instead: 'choose the key with `encryptionKey`' },
  secretStringValue: { instead: 'SecureSecret never puts a secret value in the template; set it out of band' },
  secretObjectValue: { instead: 'SecureSecret never puts a secret value in the template; set it out of band' },
  secretStringBeta1: { instead: 'SecureSecret never puts a secret value in the template; set it out of band' },
};

/**
 * A Secrets Manager secret encrypted with a customer-managed key, with
 * rotation required (or turned off with a recorded reason).
 *
 * @example
 * const apiKey = new SecureSecret(this, 'VendorApiKey', {
 *   rotation: SecretRotation.none({ reason: 'issued by the vendor, rotated in their portal' }),
 * });
 * fn.addSecret('VENDOR_API_KEY', apiKey);
 */
export class SecureSecret extends secretsmanager.Secret {
  /** Default rotation interval. */
  public static readonly DEFAULT_ROTATION_INTERVAL: Duration = DEFAULT_ROTATION_INTERVAL;

  /** The rotation schedule, unless rotation is off. */
  public readonly rotationSchedule?: IConstruct;

  constructor(scope: Construct, id: string, props: SecureSecretProps) {
    checkProps(scope, id, props);
    super(scope, id, guardedProps(scope, id, 'SecureSecret', { name: 'secretsmanager.Secret', injectionId: secretsmanager.Secret.PROPERTY_INJECTION_ID }, {
      description: props.description,
      encryptionKey: props.encryptionKey ?? StackKey.of(scope),
      generateSecretString: props.generateSecretString ?? { passwordLength: 32 },
    }, SECURED_SECRET_PROPS));

    const rotation = props.rotation;
    if (rotation.kind === 'none') {
      recordOptOut(this, 'rotation', rotation.justification!, RULES.secretRotation);
    } else if (rotation.hostedRotation) {
      this.rotationSchedule = this.addRotationSchedule('RotationSchedule', {
        hostedRotation: rotation.hostedRotation,
        automaticallyAfter: rotation.interval,
      });
    } else {
      this.rotationSchedule = this.scheduleRotation(rotation.rotationFunction!, rotation.interval!);
    }
  }

  /**
   * Grants `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret`
   * on this secret (optionally only for `versionStages`) and `kms:Decrypt` on
   * its key through Secrets Manager only, all in the grantee's own policy. The
   * base class writes the grantee into the key policy instead, which grows with
   * every reader and can make a dependency cycle.
   */
  public grantRead(grantee: iam.IGrantable, versionStages?: string[]): iam.Grant {
    return grantSecretRead(this, grantee, versionStages);
  }

  /**
   * What `addRotationSchedule` does for a rotation function, with the grants in
   * the function's own policy instead of the key policy (which would grow with
   * every function and make a dependency cycle), and an invoke permission
   * restricted to this secret and account.
   */
  private scheduleRotation(rotationFunction: lambda.IFunction, interval: Duration): secretsmanager.CfnRotationSchedule {
    rotationFunction.addToRolePolicy(new iam.PolicyStatement({
      actions: [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      resources: [this.secretArn],
    }));
    // AWS-forced: GetRandomPassword accepts no resource (a ScopedRole keeps it in its own acknowledged policy).
    rotationFunction.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] }));
    if (this.encryptionKey) {
      grantKeyUseViaService(this.encryptionKey, rotationFunction, 'secretsmanager', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
    }
    const permission = new lambda.CfnPermission(this, 'RotationInvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName: rotationFunction.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      sourceAccount: Stack.of(this).account,
      sourceArn: this.secretArn,
    });
    const schedule = new secretsmanager.CfnRotationSchedule(this, 'RotationSchedule', {
      secretId: this.secretArn,
      rotationLambdaArn: rotationFunction.functionArn,
      rotationRules: { scheduleExpression: `rate(${interval.toDays()} days)` },
    });
    schedule.node.addDependency(permission);
    return schedule;
  }
}

function checkProps(scope: Construct, id: string, props: SecureSecretProps): void {
  const problems = new ProblemCollector(scope, id);
  if (!requireProps(problems, props, '`rotation`, e.g. `{ rotation: SecretRotation.schedule(fn) }`')) {
    problems.throwIfAny();
  }
  const p = props as unknown as Record<keyof SecureSecretProps, unknown>;
  requireOptionalString(problems, 'description', p.description);
  requireInterface(problems, 'encryptionKey', p.encryptionKey, 'keyArn', 'a kms.IKey, e.g. a kms.Key');
  requireStruct(problems, 'generateSecretString', p.generateSecretString, '{ passwordLength: 32 }');
  const rotation = props.rotation;
  if (!(rotation instanceof SecretRotation)) {
    problems.add(
      `\`rotation\` is required: use \`SecretRotation.schedule(fn)\`, \`SecretRotation.hosted(...)\` or \`SecretRotation.none({ reason })\`, got: ${shown(rotation)}.`,
    );
  } else if (rotation.kind === 'none') {
    checkJustification(problems, 'rotation', rotation.justification);
  } else if (checkRotationTypes(problems, rotation) && rotation.interval && !Token.isUnresolved(rotation.interval.toDays({ integral: false }))) {
    const days = rotation.interval.toDays({ integral: false });
    problems.require(
      Number.isInteger(days) && days >= MIN_ROTATION_DAYS && days <= MAX_ROTATION_DAYS,
      `\`rotation\` interval must be a whole number of days between ${MIN_ROTATION_DAYS} and ${MAX_ROTATION_DAYS}, got: ${days} days.`,
    );
  }
  problems.throwIfAny();
}

/** Types of what `SecretRotation.schedule()` / `hosted()` received, as untyped callers may get them wrong. */
function checkRotationTypes(problems: ProblemCollector, rotation: SecretRotation): boolean {
  const target = rotation.kind === 'schedule'
    ? requireInterface(problems, 'rotation.rotationFunction', rotation.rotationFunction, 'functionArn', 'a lambda.IFunction, e.g. a SecureFunction', true)
    : requireInstanceOf(problems, 'rotation.hostedRotation', rotation.hostedRotation, secretsmanager.HostedRotation,
      'a secretsmanager.HostedRotation, e.g. `HostedRotation.postgreSqlSingleUser()`', true);
  return requireDuration(problems, 'rotation.interval', rotation.interval, 'Duration.days(30)') && target;
}
