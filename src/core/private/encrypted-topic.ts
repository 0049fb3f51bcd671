import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecuredProp } from './construction';
import { createDeadLetterQueue } from '../dead-letter-queue';
import { DeadLetterWatch } from './dead-letter-watch';
import { allowServiceToUseKey } from '../encryption';
import { ProblemCollector, received } from '../errors';
import { shortHash } from './short-hash';

/**
 * The parts every encrypted topic cdk-aegis makes shares: SecureTopic and the
 * stack's alarm topic (which monitoring creates without importing SecureTopic,
 * a construct of a floor above it).
 */

const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HTTPS_URL_PATTERN = /^https:\/\/[^\s/?#]+[^\s]*$/;

/** sns.Topic, as `guardedProps` names it. @internal */
export const TOPIC_BASE = { name: 'sns.Topic', injectionId: sns.Topic.PROPERTY_INJECTION_ID };

/** The props an encrypted topic secures on sns.Topic, and what to do instead of injecting them. @internal */
export const SECURED_TOPIC_PROPS: { [prop: string]: SecuredProp } = {
  masterKey: { instead: 'choose the key with `encryptionKey`' },
  enforceSSL: { instead: 'cdk-aegis topics accept TLS requests only' },
  signatureVersion: { instead: 'cdk-aegis topics sign messages with SHA-256' },
  // Tracing is an observability choice, not a control: an injector may turn active tracing on (or off).
  tracingConfig: { instead: 'set `activeTracing` on the SecureTopic', weakens: () => false },
};

/**
 * Props of an encrypted, TLS-only, SHA-256-signed topic that passes X-Ray
 * trace context from publishers to subscribers.
 *
 * Active tracing (SNS sending segments of its own) is off unless asked for:
 * SNS can send segments only when an X-Ray resource policy of the account
 * lets `sns.amazonaws.com` call `xray:PutTraceSegments`
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sns.html),
 * and an account holds at most 5 X-Ray resource policies
 * (https://docs.aws.amazon.com/xray/latest/api/API_PutResourcePolicy.html), so
 * one per stack would fail the sixth stack's deploy. Without that policy,
 * `Active` emits nothing. Pass-through keeps traces connected end to end.
 *
 * @internal
 */
export function encryptedTopicProps(key: kms.IKey, options: Pick<sns.TopicProps, 'fifo' | 'contentBasedDeduplication' | 'displayName'> & { activeTracing?: boolean }): sns.TopicProps {
  return {
    masterKey: key,
    enforceSSL: true,
    fifo: options.fifo,
    contentBasedDeduplication: options.contentBasedDeduplication,
    displayName: options.displayName,
    signatureVersion: '2',
    tracingConfig: options.activeTracing ? sns.TracingConfig.ACTIVE : sns.TracingConfig.PASS_THROUGH,
  };
}

/** The construct id of an email subscription, after checking `address`. @internal */
export function emailSubscriptionId(topic: sns.Topic, address: string): string {
  const problems = new ProblemCollector(topic);
  problems.require(
    typeof address === 'string' && (Token.isUnresolved(address) || EMAIL_PATTERN.test(address)),
    `\`address\` must be an email address such as \`oncall@example.com\`, got: ${received(address)}.`,
  );
  problems.require(!topic.fifo, 'a FIFO topic delivers to SQS queues only, not to email.');
  const id = `Email${shortHash(String(address))}`;
  problems.require(topic.node.tryFindChild(id) === undefined, `${received(address)} is already subscribed to this topic.`);
  problems.throwIfAny();
  return id;
}

/** The construct id of an HTTPS subscription, after checking `url`. @internal */
export function httpsSubscriptionId(topic: sns.Topic, url: string): string {
  const problems = new ProblemCollector(topic);
  problems.require(
    typeof url === 'string' && (Token.isUnresolved(url) || HTTPS_URL_PATTERN.test(url)),
    `\`url\` must be an https:// URL (SNS would send alarm contents in clear over http), got: ${received(url)}.`,
  );
  problems.require(!topic.fifo, 'a FIFO topic delivers to SQS queues only, not to HTTPS endpoints.');
  const id = `Https${shortHash(String(url))}`;
  problems.require(topic.node.tryFindChild(id) === undefined, `${received(url)} is already subscribed to this topic.`);
  problems.throwIfAny();
  return id;
}

/**
 * Subscribes `endpoint` to `topic` with an encrypted dead-letter queue that
 * only this topic may write to, lets SNS use the key for it, and registers
 * the queue for the stack's dead-letter alarm.
 *
 * @internal
 */
export function subscribeWithDeadLetters(
  topic: sns.Topic,
  id: string,
  protocol: sns.SubscriptionProtocol,
  endpoint: string,
  filterPolicy: { [attribute: string]: sns.SubscriptionFilter } | undefined,
): sns.Subscription {
  const subscription = new sns.Subscription(topic, id, { topic, protocol, endpoint, filterPolicy });
  // The dead-letter queue is a child of the subscription, so it is created now and wired in as sns.Subscription would.
  const deadLetters = createDeadLetterQueue(subscription, 'DeadLetterQueue', {
    encryptionKey: topic.masterKey!,
    owner: 'an SNS subscription',
    fifo: topic.fifo,
    ownerUnknownToSqs3: true,
  });
  deadLetters.addToResourcePolicy(new iam.PolicyStatement({
    actions: ['sqs:SendMessage'],
    resources: [deadLetters.queueArn],
    principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
    conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
  }));
  (subscription.node.defaultChild as sns.CfnSubscription).redrivePolicy = { deadLetterTargetArn: deadLetters.queueArn };
  (subscription as { deadLetterQueue?: sqs.IQueue }).deadLetterQueue = deadLetters;
  // SNS itself writes to the encrypted dead-letter queue: the key policy must let it.
  allowServiceToUseKey(topic.masterKey!, 'sns.amazonaws.com');
  DeadLetterWatch.of(topic).add(deadLetters, subscription);
  return subscription;
}
