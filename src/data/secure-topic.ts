import { Names } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createDeadLetterQueue } from '../core/dead-letter-queue';
import { deferredChild } from '../core/deferred';
import { allowServiceToUseKey, grantKeyUseViaService, StackKey } from '../core/encryption';
import { ProblemCollector } from '../core/errors';
import { allowServiceToInvoke } from '../core/invoke-permission';

/** Props of {@link SecureTopic}. */
export interface SecureTopicProps {
  /**
   * A FIFO topic (subscription dead-letter queues are FIFO too).
   *
   * @default false
   */
  readonly fifo?: boolean;

  /**
   * Deduplicate FIFO messages by a hash of their body.
   *
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;

  /**
   * The display name (SMS and email senders).
   *
   * @default - none
   */
  readonly displayName?: string;

  /**
   * Key for the topic and its subscriptions' dead-letter queues.
   *
   * @default - the customer-managed KMS key shared by the stack (`StackKey.of(this)`)
   */
  readonly encryptionKey?: kms.IKey;
}

/** Options of {@link SecureTopic.addSubscriber}. */
export interface SecureTopicSubscriberOptions {
  /**
   * Deliver only messages whose attributes match.
   *
   * @default - every message
   */
  readonly filterPolicy?: { [attribute: string]: sns.SubscriptionFilter };
}

/**
 * An SNS topic encrypted with a customer-managed key, TLS-only for
 * publishers, with SHA-256 message signatures and active X-Ray tracing. It is
 * an `sns.Topic`; `grantPublish` grants exact KMS actions, restricted to SNS.
 *
 * @example
 * const orders = new SecureTopic(this, 'OrderEvents');
 * orders.addSubscriber(notifier);   // dead-letter queue, source-restricted permission
 * orders.grantPublish(api);
 */
export class SecureTopic extends sns.Topic {
  constructor(scope: Construct, id: string, props: SecureTopicProps = {}) {
    const problems = new ProblemCollector(scope, id);
    problems.require(
      !(props.contentBasedDeduplication && !props.fifo),
      '`contentBasedDeduplication` applies to FIFO topics only; set `fifo: true` or drop it.',
    );
    problems.throwIfAny();
    const key = props.encryptionKey ?? StackKey.of(scope);
    super(scope, id, {
      masterKey: key,
      enforceSSL: true,
      fifo: props.fifo,
      contentBasedDeduplication: props.contentBasedDeduplication,
      displayName: props.displayName,
      signatureVersion: '2',
      tracingConfig: sns.TracingConfig.ACTIVE,
    });
  }

  /**
   * Subscribes `fn`: failed deliveries go to an encrypted dead-letter queue of
   * the subscription, and only this topic, from this account, may invoke `fn`.
   */
  public addSubscriber(fn: lambda.IFunction, options: SecureTopicSubscriberOptions = {}): sns.Subscription {
    const id = `Subscription${Names.nodeUniqueId(fn.node)}`;
    const problems = new ProblemCollector(this);
    problems.require(!this.fifo, 'a FIFO topic delivers to SQS queues only, not to Lambda; subscribe a FIFO SecureQueue and `addConsumer(fn)` on it.');
    problems.require(this.node.tryFindChild(id) === undefined, `${fn.node.path} is already subscribed to this topic; subscribe it once (use \`filterPolicy\` to select messages).`);
    problems.throwIfAny();
    const deadLetters = deferredChild(this, id, (self) => createDeadLetterQueue(self, 'DeadLetterQueue', {
      encryptionKey: this.masterKey!,
      owner: 'an SNS subscription',
      fifo: this.fifo,
      ownerUnknownToSqs3: true,
    }));
    const subscription = new sns.Subscription(this, id, {
      topic: this,
      protocol: sns.SubscriptionProtocol.LAMBDA,
      endpoint: fn.functionArn,
      filterPolicy: options.filterPolicy,
      // Read by sns.Subscription after it is registered: the queue lands under it.
      get deadLetterQueue() {
        return deadLetters();
      },
    });
    // SNS itself writes to the encrypted dead-letter queue: the key policy must let it.
    allowServiceToUseKey(this.masterKey!, 'sns.amazonaws.com');
    allowServiceToInvoke(fn, 'sns.amazonaws.com', this.topicArn, subscription);
    return subscription;
  }

  /**
   * Grants publishing: `sns:Publish` on this topic, and `kms:GenerateDataKey` /
   * `kms:Decrypt` on its key through SNS only.
   */
  public grantPublish(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipalOrResource({ grantee, actions: ['sns:Publish'], resourceArns: [this.topicArn], resource: this });
    grantKeyUseViaService(this.masterKey!, grantee, 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']);
    return grant;
  }
}
