import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureBucket, SecureFunction, SecureTopic } from '../../src';
import { createDeadLetterQueue, DeadLetterQueueOptions } from '../../src/core/dead-letter-queue';
import { CODE, plainStack } from '../helpers/stacks';

const id = (stack: Stack, c: any) => stack.getLogicalId((c.node.defaultChild ?? c) as any);

describe('terminal dead-letter queues', () => {
  test('of a function, a bucket event rule and a topic subscription deny every SQS source', () => {
    // GIVEN a function, a bucket whose object events invoke it, and a topic it subscribes to
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Processor', { code: CODE, handler: 'index.handler' });
    const rule = new SecureBucket(stack, 'Uploads').onObjectCreated(fn, { prefix: 'incoming/' });
    const subscription = new SecureTopic(stack, 'Events').addSubscriber(fn);

    // WHEN
    const template = Template.fromStack(stack);

    // THEN each of the three dead-letter queues declares itself terminal
    const deadLetterQueues = [fn, rule, subscription].map((owner) => id(stack, owner.node.findChild('DeadLetterQueue')));
    const queues = template.findResources('AWS::SQS::Queue');
    for (const queue of deadLetterQueues) {
      expect(queues[queue].Properties.RedriveAllowPolicy).toEqual({ redrivePermission: 'denyAll' });
    }
    // and so does every other queue of the stack (all of them are terminal dead-letter queues)
    expect(Object.values(queues).map((q: any) => q.Properties.RedriveAllowPolicy)).toEqual(Object.keys(queues).map(() => ({ redrivePermission: 'denyAll' })));
  });
});

describe('createDeadLetterQueue redrive-allow options', () => {
  function options(stack: Stack, extra: Partial<DeadLetterQueueOptions> = {}): DeadLetterQueueOptions {
    return { encryptionKey: new kms.Key(stack, 'Key'), owner: 'a test', ...extra };
  }

  test('sourceQueues allows exactly the named queues (byQueue)', () => {
    const { stack } = plainStack();
    const source = sqs.Queue.fromQueueArn(stack, 'Source', stack.formatArn({ service: 'sqs', resource: 'orders' }));
    createDeadLetterQueue(stack, 'DeadLetters', options(stack, { sourceQueues: [source] }));
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      RedriveAllowPolicy: {
        redrivePermission: 'byQueue',
        sourceQueueArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':orders']] }],
      },
    });
  });

  test('allowAnySourceQueue allows the queues of the account and region (allowAll)', () => {
    const { stack } = plainStack();
    createDeadLetterQueue(stack, 'DeadLetters', options(stack, { allowAnySourceQueue: true }));
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { RedriveAllowPolicy: { redrivePermission: 'allowAll' } });
  });

  test('fails when a source queue of the stack redrives to the dead-letter queue (the two would reference each other)', () => {
    const { app, stack } = plainStack();
    const orders = new sqs.Queue(stack, 'Orders');
    const deadLetters = createDeadLetterQueue(orders, 'DeadLetterQueue', options(stack, { sourceQueues: [orders] }));
    (orders.node.defaultChild as sqs.CfnQueue).redrivePolicy = { deadLetterTargetArn: deadLetters.queueArn, maxReceiveCount: 3 };
    expect(() => app.synth()).toThrow(/`sourceQueues` names TestStack\/Orders, whose redrive policy names this queue: the two queues would reference each other \(a dependency cycle/);
  });

  test.each([
    ['sourceQueues and allowAnySourceQueue are both given', (s: sqs.IQueue) => ({ sourceQueues: [s], allowAnySourceQueue: true }), /takes `sourceQueues` or `allowAnySourceQueue`, not both/],
    ['sourceQueues is empty', () => ({ sourceQueues: [] }), /`sourceQueues` must name 1 to 10 queues, got: 0/],
    ['sourceQueues names more than 10 queues', (s: sqs.IQueue) => ({ sourceQueues: Array(11).fill(s) }), /`sourceQueues` must name 1 to 10 queues, got: 11/],
  ])('fails when %s', (_name, extra, message) => {
    const { stack } = plainStack();
    const source = sqs.Queue.fromQueueArn(stack, 'Source', 'arn:aws:sqs:eu-west-1:111122223333:orders');
    expect(() => createDeadLetterQueue(stack, 'DeadLetters', options(stack, extra(source)))).toThrow(message);
  });
});
