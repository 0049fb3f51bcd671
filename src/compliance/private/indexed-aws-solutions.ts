import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnQueue, CfnQueuePolicy } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, IApplyRule, NagRuleCompliance, NagRuleResult, NagRules, rules } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { installedCdkNagVersion, RuleGates, ruleSource } from './rule-gates';
import { flattenReference } from '../../core/private/wildcard-findings';

/**
 * A value computed on first use. If computing it throws, every use throws
 * the same error, so a rule fails exactly where cdk-nag's own would.
 */
class Once<T> {
  private state: { value: T } | { error: unknown } | undefined;

  constructor(private readonly compute: () => T) {}

  public get(): T {
    if (this.state === undefined) {
      try {
        this.state = { value: this.compute() };
      } catch (error) {
        this.state = { error };
      }
    }
    if ('error' in this.state) {
      throw this.state.error;
    }
    return this.state.value;
  }
}

/** A queue policy as AwsSolutions-SQS4 reads it: the queues it names and whether it denies requests without TLS. */
interface PolicyView {
  readonly queues: Once<Array<Once<any>>>;
  readonly deniesInsecureTransport: Once<boolean>;
}

/**
 * What AwsSolutions-SQS3 and SQS4 look up across a stack, gathered in one
 * walk of its tree (in `findAll` order, as cdk-nag walks it). Each value is
 * resolved on first use only, as cdk-nag resolves it.
 */
class SqsView {
  /** The flattened dead-letter target of every queue (redrive policy) and function (dead-letter config). */
  public readonly deadLetterTargets: Array<Once<string>> = [];
  public readonly queuePolicies: PolicyView[] = [];

  constructor(stack: Stack) {
    for (const child of stack.node.findAll()) {
      if (child instanceof CfnQueue) {
        this.deadLetterTargets.push(new Once(() => {
          const redrivePolicy = Stack.of(child).resolve(child.redrivePolicy);
          return flattenReference(redrivePolicy?.deadLetterTargetArn ?? '');
        }));
      } else if (child instanceof CfnFunction) {
        this.deadLetterTargets.push(new Once(() => {
          const deadLetterConfig = Stack.of(child).resolve(child.deadLetterConfig);
          return flattenReference(Stack.of(child).resolve(deadLetterConfig?.targetArn) ?? '');
        }));
      } else if (child instanceof CfnQueuePolicy) {
        this.queuePolicies.push({
          queues: new Once(() => {
            const queues: Array<Once<any>> = [];
            for (const queue of child.queues) {
              queues.push(new Once(() => NagRules.resolveResourceFromIntrinsic(child, queue)));
            }
            return queues;
          }),
          deniesInsecureTransport: new Once(() => deniesInsecureTransport(child)),
        });
      }
    }
  }
}

// The three checks below keep cdk-nag's expressions (and variable names), so
// even the text of an error a malformed policy raises is the same.
function deniesInsecureTransport(policy: CfnQueuePolicy): boolean {
  const resolvedPolicyDocument = Stack.of(policy).resolve(policy.policyDocument);
  for (const statement of resolvedPolicyDocument.Statement) {
    const resolvedStatement = Stack.of(policy).resolve(statement);
    const secureTransport = resolvedStatement?.Condition?.Bool?.['aws:SecureTransport'];
    if (resolvedStatement.Effect === 'Deny' &&
      appliesToEveryQueueAction(resolvedStatement.Action) &&
      appliesToEveryPrincipal(resolvedStatement.Principal) &&
      (secureTransport === 'false' || secureTransport === false)) {
      return true;
    }
  }
  return false;
}

function appliesToEveryQueueAction(actions: any): boolean {
  if (Array.isArray(actions)) {
    for (const action of actions) {
      if (action === '*' || action.toLowerCase() === 'sqs:*') {
        return true;
      }
    }
  } else if (actions === '*' || actions.toLowerCase() === 'sqs:*') {
    return true;
  }
  return false;
}

function appliesToEveryPrincipal(principals: any): boolean {
  if (principals === '*') {
    return true;
  }
  const awsPrincipal = principals.AWS;
  return Array.isArray(awsPrincipal) ? awsPrincipal.includes('*') : awsPrincipal === '*';
}

/**
 * The cdk-nag versions whose SQS3 and SQS4 these replacements were proven
 * equal to (`test/compliance/indexed-aws-solutions.test.ts` fails when the
 * installed version is not listed). With any other version, cdk-nag's own
 * rules run: a changed rule must never be replaced by a stale copy.
 *
 * @internal
 */
export const TESTED_CDK_NAG_VERSIONS: readonly string[] = Object.freeze(['3.0.2']);

/**
 * The sources (`ruleSource`) of cdk-nag's SQS3 and SQS4 that the replacements
 * repeat: a cdk-nag patched in place keeps its version, not its source, and
 * then runs its own rules.
 *
 * @internal
 */
export const REPLACED_SQS_RULE_SOURCES = Object.freeze({ deadLetterQueue: '774ebaecb6997e17', tlsOnly: 'c1e90ab72e8cad6c' });

/**
 * The AwsSolutions pack, with its SQS3 (dead-letter queue) and SQS4 (TLS
 * only) rules evaluated from one view of the stack per validation run.
 *
 * cdk-nag 3.0's versions of these two rules walk the whole stack (`findAll`)
 * and resolve every function's and queue's dead-letter target (or every queue
 * policy) once per queue. A stack of N functions, each with its dead-letter
 * queue, costs O(N²) resolutions: at N = 100 that was a fifth of the synth.
 * Here the walk is done once per stack and each value is resolved once,
 * while the decisions (the same regular expressions, comparisons and
 * statement checks, in the same order) are cdk-nag's. Rule ids, messages,
 * levels and acknowledgements are unchanged: only `rule` is swapped in
 * `applyRule`, and only for the cdk-nag versions listed in
 * {@link TESTED_CDK_NAG_VERSIONS} and the rule sources in {@link REPLACED_SQS_RULE_SOURCES}. `test/compliance/indexed-aws-solutions.test.ts`
 * proves the reports equal to cdk-nag's own on every fixture.
 *
 * @internal
 */
export class IndexedAwsSolutionsChecks extends AwsSolutionsChecks {
  private views = new Map<Stack, SqsView>();
  private readonly gates = new RuleGates();
  private readonly replacements = new Map<(node: CfnResource) => NagRuleResult, (node: CfnResource) => NagRuleResult>(
    TESTED_CDK_NAG_VERSIONS.includes(installedCdkNagVersion() ?? '') &&
      ruleSource(rules.sqs.SQSQueueDLQ) === REPLACED_SQS_RULE_SOURCES.deadLetterQueue &&
      ruleSource(rules.sqs.SQSQueueSSLRequestsOnly) === REPLACED_SQS_RULE_SOURCES.tlsOnly
      ? [
        [rules.sqs.SQSQueueDLQ, named(rules.sqs.SQSQueueDLQ, (node) => this.deadLetterQueueRule(node))],
        [rules.sqs.SQSQueueSSLRequestsOnly, named(rules.sqs.SQSQueueSSLRequestsOnly, (node) => this.tlsOnlyRule(node))],
      ]
      : [],
  );

  public validateScope(scope: IConstruct) {
    this.views = new Map();
    try {
      return super.validateScope(scope);
    } finally {
      this.views = new Map();
    }
  }

  protected applyRule(params: IApplyRule): void {
    const prepared = this.gates.prepare(params);
    if (prepared === undefined) {
      return;
    }
    const replacement = this.replacements.get(params.rule);
    super.applyRule(replacement === undefined ? prepared : { ...prepared, rule: replacement });
  }

  private viewOf(node: CfnResource): SqsView {
    const stack = Stack.of(node);
    let view = this.views.get(stack);
    if (view === undefined) {
      view = new SqsView(stack);
      this.views.set(stack, view);
    }
    return view;
  }

  /** AwsSolutions-SQS3: a queue has a dead-letter queue, or is one (of a queue or a function in its stack). */
  private deadLetterQueueRule(node: CfnResource): NagRuleResult {
    if (!(node instanceof CfnQueue)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (Stack.of(node).resolve(node.redrivePolicy) !== undefined) {
      return NagRuleCompliance.COMPLIANT;
    }
    const logicalId = NagRules.resolveResourceFromIntrinsic(node, node.ref);
    const queueName = Stack.of(node).resolve(node.queueName);
    let byId: RegExp | undefined;
    let byName: RegExp | undefined;
    // cdk-nag's `new RegExp(`${logicalId}(?![\\w])`)`, without a regular expression per target when the id is plain
    // letters and digits (every CloudFormation logical id): the same answer, a fraction of the time for a stack of many queues.
    const plainId = typeof logicalId === 'string' && /^[A-Za-z0-9]+$/.test(logicalId) ? logicalId : undefined;
    for (const target of this.viewOf(node).deadLetterTargets) {
      const arn = target.get();
      if ((plainId !== undefined ? endsAWordRun(arn, plainId) : (byId ??= new RegExp(`${logicalId}(?![\\w])`)).test(arn)) ||
        (queueName !== undefined && (byName ??= new RegExp(`:${queueName}(?![\\w\\-_\\.])`)).test(arn))) {
        return NagRuleCompliance.COMPLIANT;
      }
    }
    return NagRuleCompliance.NON_COMPLIANT;
  }

  /** AwsSolutions-SQS4: a queue policy in its stack names the queue and denies every queue action without TLS to everyone. */
  private tlsOnlyRule(node: CfnResource): NagRuleResult {
    if (!(node instanceof CfnQueue)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const logicalId = NagRules.resolveResourceFromIntrinsic(node, node.ref);
    const queueName = Stack.of(node).resolve(node.queueName);
    for (const policy of this.viewOf(node).queuePolicies) {
      const namesQueue = policy.queues.get().some((queue) => {
        const resolvedQueue = queue.get();
        return resolvedQueue === logicalId || (queueName !== undefined && resolvedQueue.endsWith(queueName));
      });
      if (namesQueue && policy.deniesInsecureTransport.get()) {
        return NagRuleCompliance.COMPLIANT;
      }
    }
    return NagRuleCompliance.NON_COMPLIANT;
  }
}

/** Whether `word` (letters and digits) occurs in `text` not followed by a word character: `/word(?![\\w])/.test(text)`. */
export function endsAWordRun(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const next = text.charCodeAt(at + word.length);
    if (Number.isNaN(next) || !isWordCharacter(next)) {
      return true;
    }
  }
  return false;
}

/** `\\w`: A-Z, a-z, 0-9 and `_`. */
function isWordCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** `rule` under `original`'s name, which cdk-nag reads when a rule has no suffix override. */
function named(original: (node: CfnResource) => NagRuleResult, rule: (node: CfnResource) => NagRuleResult) {
  return Object.defineProperty(rule, 'name', { value: original.name });
}
