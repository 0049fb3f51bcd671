import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, AcknowledgementCause } from './justification';
import { RULES } from '../compliance/rule-ids';

/** How long failed messages and events stay in a dead-letter queue (the SQS maximum). */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/** Options of {@link createDeadLetterQueue}. Not part of the public API. */
export interface DeadLetterQueueOptions {
  readonly encryptionKey: kms.IKey;
  /** What the queue collects failures of, for the acknowledgement, e.g. `a Lambda function`. */
  readonly owner: string;
  readonly fifo?: boolean;
  /**
   * The owner is neither an SQS queue nor a Lambda function (e.g. an SNS
   * subscription), which AwsSolutions-SQS3 does not recognize as using a
   * dead-letter queue.
   */
  readonly ownerUnknownToSqs3?: boolean;
}

/**
 * A terminal dead-letter queue: KMS-encrypted, TLS-only, 14-day retention.
 * Serverless-SQSRedrivePolicy, which wants a redrive policy on every queue,
 * is acknowledged on it as a rule defect.
 *
 * Not part of the public API.
 */
export function createDeadLetterQueue(scope: Construct, id: string, options: DeadLetterQueueOptions): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: options.encryptionKey,
    enforceSSL: true,
    retentionPeriod: DEAD_LETTER_RETENTION,
    fifo: options.fifo,
  });
  acknowledge(
    queue,
    AcknowledgementCause.RULE_DEFECT,
    RULES.terminalDeadLetterQueue,
    `this queue is the terminal dead-letter queue of ${options.owner}; the rule wants a redrive policy on every queue, ` +
      'dead-letter queues included, and a redrive from it would only move failed events again',
  );
  if (options.ownerUnknownToSqs3) {
    acknowledge(
      queue,
      AcknowledgementCause.RULE_DEFECT,
      RULES.deadLetterQueueOfOtherService,
      `this queue is the dead-letter queue of ${options.owner}; the rule recognizes dead-letter queues of SQS queues and Lambda functions only`,
    );
  }
  return queue;
}
