import { Names } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { allowAdmittedServicesToUseKey, grantKeyUseViaService, KeyDestination, StackKey } from '../core/encryption';
import { ProblemCollector } from '../core/errors';
import { guardedProps } from '../core/private/construction';
import {
  emailSubscriptionId, encryptedTopicProps, httpsSubscriptionId, SECURED_TOPIC_PROPS, subscribeWithDeadLetters, TOPIC_BASE,
} from '../core/private/encrypted-topic';
import { requireInterface, requireOptionalBoolean, requireOptionalString, requireProps } from '../core/private/input-checks';
import { allowServiceToInvoke } from '../core/private/invoke-permission';
import { Monitoring } from '../monitoring/monitoring';

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

  /**
   * SNS sends X-Ray segments of its own for this topic (`TracingConfig: Active`).
   * Turn it on only when your account has an X-Ray resource policy that lets
   * `sns.amazonaws.com` call `xray:PutTraceSegments`: without one, SNS sends
   * nothing. cdk-aegis does not create that policy, because an account holds at
   * most 5 X-Ray resource policies and one per stack would fail the sixth deploy.
   *
   * @default false - the topic passes trace context from publishers to subscribers (`PassThrough`), so traces stay connected
   */
  readonly activeTracing?: boolean;
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
 * publishers, with SHA-256 message signatures, passing X-Ray trace context to subscribers. It is
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
    checkInputTypes(problems, props);
    problems.require(
      !(props.contentBasedDeduplication && !props.fifo),
      '`contentBasedDeduplication` applies to FIFO topics only; set `fifo: true` or drop it.',
    );
    problems.throwIfAny();
    const key = props.encryptionKey ?? StackKey.of(scope);
    super(scope, id, guardedProps(scope, id, 'SecureTopic', TOPIC_BASE, encryptedTopicProps(key, props), SECURED_TOPIC_PROPS));
    // Failed deliveries of subscribers land in dead-letter queues: the stack's dead-letter alarm watches them.
    Monitoring.of(this);
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
    const subscription = subscribeWithDeadLetters(this, id, sns.SubscriptionProtocol.LAMBDA, fn.functionArn, options.filterPolicy);
    allowServiceToInvoke(fn, 'sns.amazonaws.com', this.topicArn, subscription);
    return subscription;
  }

  /**
   * Subscribes an email address (AWS sends it a confirmation message first).
   * Failed deliveries go to an encrypted dead-letter queue of the subscription.
   */
  public addEmailSubscriber(address: string, options: SecureTopicSubscriberOptions = {}): sns.Subscription {
    return subscribeWithDeadLetters(this, emailSubscriptionId(this, address), sns.SubscriptionProtocol.EMAIL, address, options.filterPolicy);
  }

  /**
   * Subscribes an HTTPS endpoint, e.g. a chat or incident-management webhook
   * (the endpoint must confirm the subscription). Plain HTTP is refused.
   * Failed deliveries go to an encrypted dead-letter queue of the subscription.
   */
  public addHttpsSubscriber(url: string, options: SecureTopicSubscriberOptions = {}): sns.Subscription {
    return subscribeWithDeadLetters(this, httpsSubscriptionId(this, url), sns.SubscriptionProtocol.HTTPS, url, options.filterPolicy);
  }

  /**
   * Adds `statement` to the topic's policy. When it lets an AWS service in
   * (e.g. EventBridge, S3 notifications, CloudWatch alarms; every L2 target
   * comes through here), the key policy lets that service use the topic's
   * key too (`kms:GenerateDataKey`, `kms:Decrypt`, for its resources of this
   * account and region): without it the service's messages are dropped.
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    const result = super.addToResourcePolicy(statement);
    if (result.statementAdded) {
      allowAdmittedServicesToUseKey(this.masterKey, statement, KeyDestination.TOPIC);
    }
    return result;
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

/** Types of the props, as untyped callers (Python, Java, .NET, JavaScript) may get them wrong. */
function checkInputTypes(problems: ProblemCollector, props: SecureTopicProps): void {
  if (!requireProps(problems, props, undefined)) {
    // The other checks read props: report this alone.
    problems.throwIfAny();
  }
  const p = props as unknown as Record<keyof SecureTopicProps, unknown>;
  requireOptionalBoolean(problems, 'fifo', p.fifo);
  requireOptionalBoolean(problems, 'contentBasedDeduplication', p.contentBasedDeduplication);
  requireOptionalBoolean(problems, 'activeTracing', p.activeTracing);
  requireOptionalString(problems, 'displayName', p.displayName);
  requireInterface(problems, 'encryptionKey', p.encryptionKey, 'keyArn', 'a kms.IKey, e.g. a kms.Key');
}
