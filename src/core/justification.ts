import { Annotations, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ProblemCollector, received } from './errors';

/** Shortest reason accepted for turning a control off. */
export const MIN_REASON_LENGTH = 10;

/**
 * Why a secure default is turned off. The reason is recorded as a cdk-nag
 * acknowledgement on the construct that opted out, so it appears in the
 * validation report and the compliance ledger.
 */
export interface Justification {
  /**
   * Why the control is off, for the reader of the compliance report
   * (at least 10 characters), e.g. `'public catalogue, read-only'`.
   */
  readonly reason: string;
}

/**
 * A secure control that is on by default and can be turned off only with a
 * written reason.
 *
 * @example
 * new SecureFunction(this, 'Fn', { code, handler: 'index.handler',
 *   tracing: Toggle.off({ reason: 'third-party agent traces this function' }) });
 */
export class Toggle {
  /** Keeps the control on (the default). */
  public static on(): Toggle {
    return new Toggle(true);
  }

  /** Turns the control off; the reason is recorded in the compliance report. */
  public static off(justification: Justification): Toggle {
    return new Toggle(false, justification);
  }

  private constructor(
    /** Whether the control is on. */
    public readonly enabled: boolean,
    /** The reason it is off, when it is. */
    public readonly justification?: Justification,
  ) {}
}

/**
 * Checks an opt-out reason, naming `prop` in the error.
 *
 * @internal
 */
export function checkJustification(problems: ProblemCollector, prop: string, justification: Justification | undefined): void {
  const reason = justification?.reason;
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
    problems.add(
      `\`${prop}\` opt-out needs a reason of at least ${MIN_REASON_LENGTH} characters, got: ${received(reason)}. ` +
        'Say why this control is not needed, e.g. `{ reason: \'public catalogue, read-only\' }`.',
    );
  }
}

/** Who made an acknowledgement; the prefix of its reason says it. @internal */
export enum AcknowledgementCause {
  /** A user turned a control off with a Justification. */
  USER_OPT_OUT = 'opt-out',
  /** AWS offers nothing narrower (e.g. X-Ray accepts only `*`). */
  AWS_FORCED = 'AWS-forced',
  /** The rule has no exemption for a legitimate design. */
  RULE_DEFECT = 'rule defect',
}

/**
 * Metadata type of every typed opt-out, on the construct that opted out:
 * `{ control, reason, rules }` (the rules it acknowledged, possibly none).
 * The compliance ledger reads it.
 *
 * @internal
 */
export const OPT_OUT_METADATA = 'cdk-aegis:opt-out';

/** Prefix of every acknowledgement reason cdk-aegis writes. */
export const ACKNOWLEDGEMENT_PREFIX = 'cdk-aegis';

/** The reason text recorded for an acknowledgement. @internal */
export function acknowledgementReason(cause: AcknowledgementCause, reason: string): string {
  return `${ACKNOWLEDGEMENT_PREFIX} (${cause}): ${reason}`;
}

/**
 * Acknowledges exactly `ruleIds` (`<pack>::<rule>`) on `construct` only.
 *
 * @internal
 */
export function acknowledge(construct: IConstruct, cause: AcknowledgementCause, ruleIds: readonly string[], reason: string): void {
  const text = acknowledgementReason(cause, reason);
  const record = () => Validations.of(construct).acknowledge(...ruleIds.map((id) => ({ id, reason: text })));
  // The user's decision (its call stack leads to their code), or a debugging session (CDK_DEBUG): a call stack as usual.
  if (cause === AcknowledgementCause.USER_OPT_OUT || process.env.CDK_DEBUG) {
    record();
    return;
  }
  // An acknowledgement the library makes by itself (AWS-forced, rule defect) is located by its construct path and
  // explained by its reason; aws-cdk-lib would capture and source-map a call stack for each one (about 0.2 ms, two per
  // SecureFunction), so none is captured: the metadata entry holds aws-cdk-lib's "no user code" line instead.
  const limit = Error.stackTraceLimit;
  if (!setStackTraceLimit(0)) {
    record();
    return;
  }
  try {
    record();
  } finally {
    setStackTraceLimit(limit);
  }
}

/** Sets `Error.stackTraceLimit`; false where it cannot be set (a hardened runtime with a frozen `Error`). */
function setStackTraceLimit(limit: number): boolean {
  try {
    Error.stackTraceLimit = limit;
    return Error.stackTraceLimit === limit;
  } catch {
    return false;
  }
}

/**
 * Records a user's opt-out of `control` on `construct`: acknowledges exactly the
 * rules the opt-out breaks and adds a warning with the stable id
 * `@cdk-aegis/opt-out:<control>`. The Justification must have been checked.
 *
 * @internal
 */
export function recordOptOut(construct: IConstruct, control: string, justification: Justification, ruleIds: readonly string[]): void {
  construct.node.addMetadata(OPT_OUT_METADATA, { control, reason: justification.reason, rules: [...ruleIds] });
  if (ruleIds.length > 0) {
    acknowledge(construct, AcknowledgementCause.USER_OPT_OUT, ruleIds, `${control} off: ${justification.reason}`);
  }
  Annotations.of(construct).addWarningV2(
    `@cdk-aegis/opt-out:${control}`,
    `${control} is off (${justification.reason}); ${ruleIds.length > 0 ? `acknowledged rules: ${ruleIds.join(', ')}` : 'no rule-pack rule covers it'}`,
  );
}
