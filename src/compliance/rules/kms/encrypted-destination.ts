import { CfnResource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { KeyDestination, sendsSourceConditions, SOURCE_CONDITION_KEYS } from '../../../core/encryption';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/**
 * An AWS service a queue's or topic's policy lets in may use the queue's or
 * topic's customer-managed key; otherwise what it sends is dropped.
 */
export const KMS_ENCRYPTED_DESTINATION: AegisRule = {
  id: 'KMS1',
  level: NagMessageLevel.ERROR,
  resourceTypes: [sqs.CfnQueue.CFN_RESOURCE_TYPE_NAME, sns.CfnTopic.CFN_RESOURCE_TYPE_NAME],
  info:
    'Messages from the AWS service in the finding (`Service::<principal>`) are dropped: the policy of this SQS queue or SNS topic ' +
    'lets the service send, but the policy of its customer-managed KMS key does not let the service use kms:GenerateDataKey and kms:Decrypt, ' +
    'or lets it only under condition keys the service does not send on this path (EventBridge writing to an SNS topic sends no ' +
    'aws:SourceArn, aws:SourceAccount or aws:SourceOrgID).',
  explanation:
    'A service that writes to an encrypted queue or topic (EventBridge targets and dead-letter queues, SNS subscriptions, S3 ' +
    'notifications, CloudWatch alarms) encrypts with the destination\'s key as itself. When the key policy does not allow it, every ' +
    'delivery fails at run time and the messages are lost, while synth and deploy succeed. Add a key-policy statement for that ' +
    'service principal with kms:GenerateDataKey and kms:Decrypt, held with aws:SourceAccount and an ArnLike aws:SourceArn for the ' +
    'service\'s resources in this account and region (the exact ARN of a rule or topic that itself depends on the key makes a ' +
    'dependency cycle), except where AWS documents that the service does not send them: for EventBridge delivering to an encrypted ' +
    'SNS topic, a statement with those keys denies every delivery, so it must have none (the topic policy decides which rules may ' +
    'publish). SecureQueue and SecureTopic add the right statement whenever their policy lets a service in. Only keys of the same ' +
    'stack are checked.',
  check(node: CfnResource, index: StackIndex) {
    const keyId = node instanceof sqs.CfnQueue || node instanceof sns.CfnTopic ? node.kmsMasterKeyId : undefined;
    const key = keyId === undefined ? undefined : index.referenced(keyId, kms.CfnKey.CFN_RESOURCE_TYPE_NAME);
    if (key === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const admitted = admittedServices(index).get(node) ?? new Set<string>();
    if (admitted.size === 0) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const users = keyUsers(index).get(key) ?? [];
    const destination = node instanceof sns.CfnTopic ? KeyDestination.TOPIC : KeyDestination.QUEUE;
    const usable = (service: string) => users.some((u) => u.service === service && (!u.sourceScoped || sendsSourceConditions(service, destination)));
    const missing = [...admitted].filter((service) => !usable(service)).sort();
    return missing.length > 0 ? missing.map((service) => `Service::${service}`) : NagRuleCompliance.COMPLIANT;
  },
};

/** Each queue and topic of the stack → the service principals its policies allow in. Built once per stack. */
function admittedServices(index: StackIndex): Map<CfnResource, Set<string>> {
  return index.memo('kms-encrypted-destination:admitted', () => {
    const admitted = new Map<CfnResource, Set<string>>();
    const admit = (resource: CfnResource | undefined, services: string[]) => {
      if (resource !== undefined && services.length > 0) {
        const set = admitted.get(resource) ?? new Set<string>();
        services.forEach((s) => set.add(s));
        admitted.set(resource, set);
      }
    };
    // Queue and topic policies (and their inline variants): the services their Allow statements name.
    const policies: Array<{ type: string; target: string; of: (policy: CfnResource) => { targets: unknown; document: unknown } | undefined }> = [
      {
        type: sqs.CfnQueuePolicy.CFN_RESOURCE_TYPE_NAME,
        target: sqs.CfnQueue.CFN_RESOURCE_TYPE_NAME,
        of: (p) => (p instanceof sqs.CfnQueuePolicy ? { targets: index.resolve(p.queues), document: p.policyDocument } : undefined),
      },
      {
        type: sqs.CfnQueueInlinePolicy.CFN_RESOURCE_TYPE_NAME,
        target: sqs.CfnQueue.CFN_RESOURCE_TYPE_NAME,
        of: (p) => (p instanceof sqs.CfnQueueInlinePolicy ? { targets: p.queue, document: p.policyDocument } : undefined),
      },
      {
        type: sns.CfnTopicPolicy.CFN_RESOURCE_TYPE_NAME,
        target: sns.CfnTopic.CFN_RESOURCE_TYPE_NAME,
        of: (p) => (p instanceof sns.CfnTopicPolicy ? { targets: index.resolve(p.topics), document: p.policyDocument } : undefined),
      },
      {
        type: sns.CfnTopicInlinePolicy.CFN_RESOURCE_TYPE_NAME,
        target: sns.CfnTopic.CFN_RESOURCE_TYPE_NAME,
        of: (p) => (p instanceof sns.CfnTopicInlinePolicy ? { targets: p.topicArn, document: p.policyDocument } : undefined),
      },
    ];
    for (const { type, target, of } of policies) {
      for (const policy of index.ofType(type)) {
        const parts = of(policy);
        if (parts) {
          const services = servicesAllowedBy(index, parts.document, () => true);
          asList(parts.targets).forEach((t) => admit(index.referenced(t, target), services));
        }
      }
    }
    // An alarm action publishes as CloudWatch itself, whether or not the topic's policy names it.
    for (const alarm of index.ofType(cloudwatch.CfnAlarm.CFN_RESOURCE_TYPE_NAME)) {
      if (alarm instanceof cloudwatch.CfnAlarm) {
        [alarm.alarmActions, alarm.okActions, alarm.insufficientDataActions]
          .flatMap((a) => asList(index.resolve(a)))
          .forEach((action) => admit(index.referenced(action, sns.CfnTopic.CFN_RESOURCE_TYPE_NAME), [CLOUDWATCH_SERVICE]));
      }
    }
    return admitted;
  });
}

const CLOUDWATCH_SERVICE = 'cloudwatch.amazonaws.com';

/** A service principal a key-policy statement lets use the key, and whether that statement holds it with source condition keys. */
interface KeyUser {
  readonly service: string;
  readonly sourceScoped: boolean;
}

/** Each key of the stack → the service principals its policy allows kms:GenerateDataKey and kms:Decrypt. Built once per stack. */
function keyUsers(index: StackIndex): Map<CfnResource, KeyUser[]> {
  return index.memo('kms-encrypted-destination:key-users', () => {
    const users = new Map<CfnResource, KeyUser[]>();
    for (const key of index.ofType(kms.CfnKey.CFN_RESOURCE_TYPE_NAME)) {
      if (key instanceof kms.CfnKey) {
        const statements = allowStatements(index, key.keyPolicy, (actions) => actions.some(coversGenerateDataKey) && actions.some(coversDecrypt));
        users.set(key, statements.flatMap((statement) => {
          const conditionKeys = Object.values(statement.Condition ?? {}).flatMap((entries) => Object.keys(entries ?? {}).map((k) => k.toLowerCase()));
          const sourceScoped = conditionKeys.some((k) => SOURCE_CONDITION_KEYS.includes(k));
          return servicesOf(statement).map((service) => ({ service, sourceScoped }));
        }));
      }
    }
    return users;
  });
}

/** The service principals the Allow statements of `document` name, for statements whose actions pass `actionsMatch`. */
function servicesAllowedBy(index: StackIndex, document: unknown, actionsMatch: (actions: string[]) => boolean): string[] {
  return allowStatements(index, document, actionsMatch).flatMap(servicesOf);
}

/** The Allow statements of `document` whose actions pass `actionsMatch`, resolved. */
function allowStatements(index: StackIndex, document: unknown, actionsMatch: (actions: string[]) => boolean): any[] {
  const resolved = index.resolve(document);
  return asList(resolved?.Statement).filter((statement) => statement?.Effect === 'Allow' && actionsMatch(asList(statement.Action).map(String)));
}

const servicesOf = (statement: any): string[] => asList(statement.Principal?.Service).filter((s): s is string => typeof s === 'string');

const coversGenerateDataKey = (action: string) => ['kms:GenerateDataKey', 'kms:GenerateDataKey*', 'kms:*', '*'].includes(action);
const coversDecrypt = (action: string) => ['kms:Decrypt', 'kms:Decrypt*', 'kms:*', '*'].includes(action);

function asList(value: unknown): any[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}
