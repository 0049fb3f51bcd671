import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { createRuleDeadLetterQueue } from '../../core/dead-letter-queue';
import { allowServiceToInvoke } from '../../core/private/invoke-permission';
import { watchRule } from '../../monitoring/monitoring';

/** How an EventBridge rule delivers to a function. @internal */
export interface RuleToFunctionOptions {
  /** The key of the rule's dead-letter queue. */
  readonly encryptionKey: kms.IKey;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/**
 * Makes `fn` the target of `rule` with its failure path wired: retries
 * (`retryAttempts`, `maxEventAge`), then an encrypted dead-letter queue only
 * this rule may write to (its key lets EventBridge in for this account's
 * rules), the stack's alarms on events the rule could not deliver or
 * dead-letter, and an invoke permission for this rule and account only.
 * The dead-letter queue is a child of the rule, `DeadLetterQueue`.
 *
 * @internal
 */
export function targetFunction(rule: events.Rule, fn: lambda.IFunction, options: RuleToFunctionOptions): void {
  const deadLetters = createRuleDeadLetterQueue(rule, 'DeadLetterQueue', {
    encryptionKey: options.encryptionKey,
    owner: 'an EventBridge rule target',
    sourceConditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
    watchedAs: rule,
  });
  // Events the rule could not deliver, or could not even put in the dead-letter queue, are alarmed too.
  watchRule(rule);
  rule.addTarget({
    bind: () => ({
      arn: fn.functionArn,
      deadLetterConfig: { arn: deadLetters.queueArn },
      retryPolicy: { maximumRetryAttempts: options.retryAttempts, maximumEventAgeInSeconds: options.maxEventAge.toSeconds() },
    }),
  });
  allowServiceToInvoke(fn, 'events.amazonaws.com', rule.ruleArn, rule);
}
