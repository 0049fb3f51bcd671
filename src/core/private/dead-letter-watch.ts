import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { stackSingleton } from './stack-singleton';

/** Construct id of the per-stack list, a child of the stack (it has no resources). */
const WATCH_ID = 'AegisDeadLetterWatch';

/** A dead-letter queue to watch, and what it collects failures of. @internal */
export interface WatchedDeadLetterQueue {
  readonly queue: sqs.IQueue;
  readonly owner: IConstruct;
}

/**
 * The dead-letter queues cdk-aegis made in a stack, for the stack's
 * monitoring to alarm on. It lives in core so that code below monitoring
 * (e.g. the encrypted topic helpers the alarm topic itself uses) can register
 * queues without importing monitoring: monitoring subscribes and receives
 * every queue registered before and after.
 *
 * @internal
 */
export class DeadLetterWatch extends Construct {
  /** The list of the stack that holds `scope`, created on first use. */
  public static of(scope: IConstruct): DeadLetterWatch {
    return stackSingleton(scope, WATCH_ID, "cdk-aegis's dead-letter queue list", (c) => c instanceof DeadLetterWatch, (stack) => new DeadLetterWatch(stack, WATCH_ID));
  }

  private readonly queues: WatchedDeadLetterQueue[] = [];
  private listener?: (watched: WatchedDeadLetterQueue) => void;

  /** Registers `queue` as the dead-letter queue of `owner`. */
  public add(queue: sqs.IQueue, owner: IConstruct): void {
    const watched = { queue, owner };
    this.queues.push(watched);
    this.listener?.(watched);
  }

  /** Calls `listener` for every queue registered so far and from now on (one listener per stack). */
  public listen(listener: (watched: WatchedDeadLetterQueue) => void): void {
    this.listener = listener;
    this.queues.forEach(listener);
  }
}
