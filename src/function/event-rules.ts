import { Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ProblemCollector, received } from '../core/errors';
import { requireDuration, requireInstanceOf, requireInterface, requireOptionalNumber, requireOptionalString, requireStruct } from '../core/private/input-checks';
import { targetFunction } from '../data/private/rule-target';

/** Retries of a rule's delivery to a function before the event goes to the dead-letter queue. */
export const DEFAULT_RULE_RETRY_ATTEMPTS = 8;
/** How long a rule keeps retrying an event before it goes to the dead-letter queue. */
export const DEFAULT_RULE_MAX_EVENT_AGE = Duration.hours(24);

/** Options of {@link SecureFunction.addSchedule}. */
export interface FunctionScheduleOptions {
  /**
   * The rule's description.
   *
   * @default - what the rule invokes, and when
   */
  readonly description?: string;

  /**
   * Retries before an event goes to the rule's dead-letter queue (0–185).
   *
   * @default 8
   */
  readonly retryAttempts?: number;

  /**
   * How long EventBridge keeps retrying an event (1 minute to 24 hours).
   *
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;
}

/** Options of {@link SecureFunction.addEventRule}. */
export interface FunctionEventRuleOptions extends FunctionScheduleOptions {
  /**
   * The event bus the rule listens on (in this account and region).
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
}

/**
 * An EventBridge rule under `fn` whose target is `fn`, with the failure path
 * of every cdk-aegis rule target. Checks the options as untyped callers may
 * get them wrong.
 *
 * @internal
 */
export function addFunctionRule(
  fn: lambda.Function & { readonly encryptionKey: kms.IKey }, id: string, trigger: { schedule?: unknown; eventPattern?: unknown },
  options: FunctionEventRuleOptions | undefined, method: 'addSchedule' | 'addEventRule',
): events.Rule {
  const problems = new ProblemCollector(fn);
  if (typeof id !== 'string' || id.length === 0) {
    problems.add(`\`${method}\` needs an id (a non-empty string), got: ${received(id)}.`);
  } else if (fn.node.tryFindChild(id) !== undefined) {
    problems.add(`\`${method}\`: ${fn.node.path} already has a child \`${id}\`; give each rule its own id.`);
  }
  if (method === 'addSchedule') {
    requireInstanceOf(problems, 'schedule', trigger.schedule, events.Schedule, '`events.Schedule.rate(Duration.minutes(5))` or `events.Schedule.cron({ hour: \'3\' })`', true);
  } else if (requireStruct(problems, 'eventPattern', trigger.eventPattern, "{ source: ['aws.ec2'], detailType: ['EC2 Instance State-change Notification'] }", true)) {
    const pattern = trigger.eventPattern as Record<string, unknown>;
    problems.require(Object.values(pattern).some((v) => v !== undefined),
      '`eventPattern` must match on something (`source`, `detailType`, `detail`, ...): an empty pattern matches no event.');
    for (const field of emptyLists(pattern, 'eventPattern')) {
      problems.add(`\`${field}\` is an empty list, which EventBridge rejects: list the values to match, or leave the field out.`);
    }
  }
  if (requireStruct(problems, 'options', options, '{ retryAttempts: 3, maxEventAge: Duration.hours(2) }') && options !== undefined) {
    const o = options as unknown as Record<keyof FunctionEventRuleOptions, unknown>;
    requireOptionalString(problems, 'description', o.description);
    if (requireOptionalNumber(problems, 'retryAttempts', o.retryAttempts, '3') && typeof o.retryAttempts === 'number' && !Token.isUnresolved(o.retryAttempts)) {
      problems.require(Number.isInteger(o.retryAttempts) && o.retryAttempts >= 0 && o.retryAttempts <= 185,
        `\`retryAttempts\` must be a whole number from 0 to 185 (EventBridge's limit), got: ${o.retryAttempts}.`);
    }
    if (requireDuration(problems, 'maxEventAge', o.maxEventAge, 'Duration.hours(2)') && o.maxEventAge instanceof Duration && !Token.isUnresolved(o.maxEventAge.toSeconds())) {
      const seconds = o.maxEventAge.toSeconds();
      problems.require(seconds >= 60 && seconds <= 86400, `\`maxEventAge\` must be from 1 minute to 24 hours (EventBridge's limits), got: ${seconds} s.`);
    }
    if (method === 'addSchedule') {
      problems.require(o.eventBus === undefined, '`eventBus` does not apply to schedules: EventBridge runs scheduled rules on the default bus only.');
    } else {
      requireInterface(problems, 'eventBus', o.eventBus, 'eventBusArn', 'an events.IEventBus, e.g. `new events.EventBus(...)` or `events.EventBus.fromEventBusArn(...)`');
    }
  }
  problems.throwIfAny();
  const schedule = trigger.schedule as events.Schedule | undefined;
  const rule = new events.Rule(fn, id, {
    description: options?.description ?? (schedule ? `${schedule.expressionString} → ${fn.node.path}` : `Events matched by ${id} → ${fn.node.path}`),
    schedule,
    eventPattern: trigger.eventPattern as events.EventPattern | undefined,
    eventBus: options?.eventBus,
  });
  targetFunction(rule, fn, {
    encryptionKey: fn.encryptionKey,
    retryAttempts: options?.retryAttempts ?? DEFAULT_RULE_RETRY_ATTEMPTS,
    maxEventAge: options?.maxEventAge ?? DEFAULT_RULE_MAX_EVENT_AGE,
  });
  return rule;
}

/** The paths of the empty lists anywhere in an event pattern (`detail` nests them). */
function emptyLists(value: unknown, at: string): string[] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [at] : [];
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => emptyLists(v, `${at}.${key}`));
  }
  return [];
}
