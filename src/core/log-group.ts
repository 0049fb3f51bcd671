import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ProblemCollector } from './errors';
import { guardedProps, SecuredProp } from './private/construction';
import { requireEnumValue } from './private/input-checks';
import { SecurityProfile } from './profile';

/** Default retention of the log groups cdk-aegis creates, per profile. */
export const DEFAULT_LOG_RETENTION: Record<SecurityProfile, logs.RetentionDays> = Object.freeze({
  [SecurityProfile.BASELINE]: logs.RetentionDays.THREE_MONTHS,
  [SecurityProfile.REGULATED]: logs.RetentionDays.ONE_YEAR,
});

/** Shortest retention the REGULATED profile accepts (HIPAA / PCI audit-trail retention). */
export const REGULATED_MIN_LOG_RETENTION_DAYS = 365;

/**
 * Checks a user-supplied retention against the profile.
 *
 * @internal
 */
export function checkLogRetention(
  problems: ProblemCollector,
  prop: string,
  retention: logs.RetentionDays | undefined,
  profile: SecurityProfile,
): void {
  if (retention === undefined || !requireEnumValue(problems, prop, retention, logs.RetentionDays as unknown as Record<string, number>, 'logs.RetentionDays')) {
    return;
  }
  if (retention === logs.RetentionDays.INFINITE) {
    problems.add(`\`${prop}\` must be a bounded retention, got: INFINITE. Pick a RetentionDays value (the rule packs require an explicit retention).`);
  } else if (profile === SecurityProfile.REGULATED && retention < REGULATED_MIN_LOG_RETENTION_DAYS) {
    problems.add(
      `\`${prop}\` must be at least ${REGULATED_MIN_LOG_RETENTION_DAYS} days under the REGULATED profile, got: ${retention}. ` +
        'Use RetentionDays.ONE_YEAR or longer.',
    );
  }
}

const LOG_GROUP_BASE = { name: 'logs.LogGroup', injectionId: logs.LogGroup.PROPERTY_INJECTION_ID };
const SECURED_LOG_GROUP_PROPS: { [prop: string]: SecuredProp } = {
  encryptionKey: { instead: 'cdk-aegis log groups are encrypted with the construct\'s key (`encryptionKey`)' },
  retention: { instead: 'set the retention with the construct\'s `logRetention`' },
  logGroupName: { instead: 'cdk-aegis names the log groups services write to' },
  removalPolicy: { instead: 'cdk-aegis keeps log groups when the stack is deleted (logs are evidence)' },
  dataProtectionPolicy: { instead: 'cdk-aegis log groups take no data protection policy from an injector', weakens: () => false },
};

/** Options of {@link createSecureLogGroup}. @internal */
export interface SecureLogGroupOptions {
  readonly encryptionKey: kms.IKey;
  readonly retention: logs.RetentionDays;
  readonly logGroupName?: string;
}

/**
 * A log group encrypted with `encryptionKey`, with a bounded retention, kept
 * when the stack is deleted (logs are evidence).
 *
 * @internal
 */
export function createSecureLogGroup(scope: Construct, id: string, options: SecureLogGroupOptions): logs.LogGroup {
  return new logs.LogGroup(scope, id, guardedProps(scope, id, 'log group', LOG_GROUP_BASE, {
    encryptionKey: options.encryptionKey,
    retention: options.retention,
    logGroupName: options.logGroupName,
    removalPolicy: RemovalPolicy.RETAIN,
  }, SECURED_LOG_GROUP_PROPS));
}
