import { Names, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createDeadLetterQueue } from '../core/dead-letter-queue';
import { allowAdmittedServicesToUseKey, allowServiceToUseKey, grantKeyUseViaService, StackKey } from '../core/encryption';
import { ProblemCollector, received } from '../core/errors';
import { allowServiceToInvoke } from '../core/invoke-permission';
import { checkPropertyInjection, SecuredProp } from '../core/private/construction';
import { requireInterface, requireOptionalBoolean, requireOptionalString, requireProps } from '../core/private/input-checks';
import { shortHash } from '../core/short-hash';
import { Monitoring } from '../monitoring/monitoring';

const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HTTPS_URL_PATTERN = /^https:\/\/[^\s/?#]+[^\s]*$/;

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

/** The props SecureTopic secures on sns.Topic, and what to do instead of injecting them. */
const SECURED_TOPIC_PROPS: { [prop: string]: SecuredProp } = {
  masterKey: { instead: 'choose the key with `encryptionKey`' },
  enforceSSL: { instead: 'SecureTopic accepts TLS requests only' },
  signatureVersion: { instead: 'SecureTopic signs messages with SHA-256' },
  tracingConfig: { instead: 'SecureTopic passes X-Ray traces through' },
};

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
    checkInputTypes(problems, props);
    problems.require(
      !(props.contentBasedDeduplication && !props.fifo),
      '`contentBasedDeduplication` applies to FIFO topics only; set `fifo: true` or drop it.',
    );
    problems.throwIfAny();
    const key = props.encryptionKey ?? StackKey.of(scope);
    const baseProps: sns.TopicProps = {
      masterKey: key,
      enforceSSL: true,
      fifo: props.fifo,
      contentBasedDeduplication: props.contentBasedDeduplication,
      displayName: props.displayName,
      signatureVersion: '2',
      tracingConfig: sns.TracingConfig.ACTIVE,
    };
    checkPropertyInjection(scope, id, 'SecureTopic', { name: 'sns.Topic', injectionId: sns.Topic.PROPERTY_INJECTION_ID },
      baseProps as unknown as { [key: string]: unknown }, SECURED_TOPIC_PROPS);
    super(scope, id, baseProps);
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
    const subscription = this.subscribeWithDeadLetters(id, sns.SubscriptionProtocol.LAMBDA, fn.functionArn, options.filterPolicy);
    allowServiceToInvoke(fn, 'sns.amazonaws.com', this.topicArn, subscription);
    return subscription;
  }

  /**
   * Subscribes an email address (AWS sends it a confirmation message first).
   * Failed deliveries go to an encrypted dead-letter queue of the subscription.
   */
  public addEmailSubscriber(address: string, options: SecureTopicSubscriberOptions = {}): sns.Subscription {
    const problems = new ProblemCollector(this);
    problems.require(
      typeof address === 'string' && (Token.isUnresolved(address) || EMAIL_PATTERN.test(address)),
      `\`address\` must be an email address such as \`oncall@example.com\`, got: ${received(address)}.`,
    );
    problems.require(!this.fifo, 'a FIFO topic delivers to SQS queues only, not to email.');
    const id = `Email${shortHash(String(address))}`;
    problems.require(this.node.tryFindChild(id) === undefined, `${received(address)} is already subscribed to this topic.`);
    problems.throwIfAny();
    return this.subscribeWithDeadLetters(id, sns.SubscriptionProtocol.EMAIL, address, options.filterPolicy);
  }

  /**
   * Subscribes an HTTPS endpoint, e.g. a chat or incident-management webhook
   * (the endpoint must confirm the subscription). Plain HTTP is refused.
   * Failed deliveries go to an encrypted dead-letter queue of the subscription.
   */
  public addHttpsSubscriber(url: string, options: SecureTopicSubscriberOptions = {}): sns.Subscription {
    const problems = new ProblemCollector(this);
    problems.require(
      typeof url === 'string' && (Token.isUnresolved(url) || HTTPS_URL_PATTERN.test(url)),
      `\`url\` must be an https:// URL (SNS would send alarm contents in clear over http), got: ${received(url)}.`,
    );
    problems.require(!this.fifo, 'a FIFO topic delivers to SQS queues only, not to HTTPS endpoints.');
    const id = `Https${shortHash(String(url))}`;
    problems.require(this.node.tryFindChild(id) === undefined, `${received(url)} is already subscribed to this topic.`);
    problems.throwIfAny();
    return this.subscribeWithDeadLetters(id, sns.SubscriptionProtocol.HTTPS, url, options.filterPolicy);
  }

  private subscribeWithDeadLetters(
    id: string,
    protocol: sns.SubscriptionProtocol,
    endpoint: string,
    filterPolicy: { [attribute: string]: sns.SubscriptionFilter } | undefined,
  ): sns.Subscription {
    const subscription = new sns.Subscription(this, id, { topic: this, protocol, endpoint, filterPolicy });
    // The dead-letter queue is a child of the subscription, so it is created now and wired in as sns.Subscription would.
    const deadLetters = createDeadLetterQueue(subscription, 'DeadLetterQueue', {
      encryptionKey: this.masterKey!,
      owner: 'an SNS subscription',
      fifo: this.fifo,
      ownerUnknownToSqs3: true,
    });
    deadLetters.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['sqs:SendMessage'],
      resources: [deadLetters.queueArn],
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      conditions: { ArnEquals: { 'aws:SourceArn': this.topicArn } },
    }));
    (subscription.node.defaultChild as sns.CfnSubscription).redrivePolicy = { deadLetterTargetArn: deadLetters.queueArn };
    (subscription as { deadLetterQueue?: sqs.IQueue }).deadLetterQueue = deadLetters;
    // SNS itself writes to the encrypted dead-letter queue: the key policy must let it.
    allowServiceToUseKey(this.masterKey!, 'sns.amazonaws.com');
    Monitoring.of(this)._watchDeadLetterQueue(deadLetters, subscription);
    return subscription;
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
      allowAdmittedServicesToUseKey(this.masterKey, statement);
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
  requireOptionalString(problems, 'displayName', p.displayName);
  requireInterface(problems, 'encryptionKey', p.encryptionKey, 'keyArn', 'a kms.IKey, e.g. a kms.Key');
}
