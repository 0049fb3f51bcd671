import { CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** AWS's defaults when the properties are not set. */
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;
/** AWS's advice for queues Lambda consumes. */
const FACTOR = 6;

/** A queue a function consumes hides a received message for at least 6 × the function's timeout. */
export const SQS_EVENT_SOURCE_VISIBILITY: AegisRule = {
  id: 'SQS1',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Lambda::EventSourceMapping'],
  info: 'The SQS queue of this event source mapping has a visibility timeout under 6 × the function\'s timeout.',
  explanation:
    'A message becomes visible again while the function still works on it: it is processed twice, and after `maxReceiveCount` ' +
    'such retries lands in the dead-letter queue although it succeeded. Set the queue\'s visibility timeout to at least 6 × the ' +
    'function timeout (AWS\'s advice; SecureQueue.addConsumer checks it).',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof lambda.CfnEventSourceMapping)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const queue = index.referenced(node.eventSourceArn, sqs.CfnQueue.CFN_RESOURCE_TYPE_NAME) as sqs.CfnQueue | undefined;
    const fn = index.referenced(node.functionName, lambda.CfnFunction.CFN_RESOURCE_TYPE_NAME) as lambda.CfnFunction | undefined;
    if (queue === undefined || fn === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const visibility = index.resolve(queue.visibilityTimeout) ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS;
    const timeout = index.resolve(fn.timeout) ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS;
    if (typeof visibility !== 'number' || typeof timeout !== 'number') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return visibility >= FACTOR * timeout ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
