import { IAspect, IResolvable, IResolveContext, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { HardeningControl } from './controls';
import { acknowledge, AcknowledgementCause } from '../core/justification';
import { PACK, ruleId } from '../core/nag-rule-ids';
import { EXACT_ACTIONS } from '../core/private/exact-actions';
import { HARDENING_METADATA, HardeningRecord } from '../core/private/hardening-record';
import { flattenReference } from '../core/private/wildcard-findings';

/**
 * Rewrites the wildcard actions aws-cdk-lib's `grant*()` methods write
 * (`s3:GetObject*`, `s3:List*`, `kms:GenerateDataKey*`, …) in the IAM
 * policies under a scope into the exact actions of the grant. A mutating
 * aspect: policies are complete only once the app is built.
 *
 * Only the `Action` list of each statement is overridden (rendered as the
 * policy document renders, merged statements included), so resources and
 * cross-stack references are left to aws-cdk-lib. Object patterns under a
 * bucket of the app (`<Bucket.Arn>/*`), which S3 allows nothing narrower than
 * for a grant on the whole bucket, are acknowledged as AWS-forced, as
 * cdk-aegis does for its own buckets.
 *
 * @internal
 */
export class ExactGrantActions implements IAspect {
  /** @param skippedPaths construct paths (with everything under them) to leave as written */
  constructor(private readonly skippedPaths: readonly string[]) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof iam.CfnPolicy) || this.skippedPaths.some((p) => node.node.path === p || node.node.path.startsWith(`${p}/`))) {
      return;
    }
    if (node.policyDocument instanceof ExactActionsDocument || !(node.policyDocument instanceof iam.PolicyDocument)) {
      return;
    }
    const rewritten = [...new Set(wildcardsIn(node.policyDocument.toJSON()))];
    if (rewritten.length === 0) {
      return;
    }
    // Rewritten when the template is resolved, not now: statements aws-cdk-lib (or another aspect) adds later are kept, and
    // references to other stacks are still tokens when aws-cdk-lib looks for them. The L1's own property, not an override:
    // rule packs read the properties.
    node.policyDocument = new ExactActionsDocument(node.policyDocument);
    const record = new HardeningRecord(node.node.id, 'iam.Policy');
    record.add(HardeningControl.GRANT_EXACT_ACTIONS, `exact actions instead of ${rewritten.sort().join(', ')}`);
    node.node.scope!.node.addMetadata(HARDENING_METADATA, record.toJson());
    acknowledgeObjectPatterns(node);
  }
}

/** The wildcard actions of the Allow statements of a policy document (JSON) that have an exact list. */
function wildcardsIn(document: any): string[] {
  return [document?.Statement].flat().filter((st: any) => st?.Effect === 'Allow')
    .flatMap((st: any) => [st.Action].flat().filter((a: unknown): a is string => typeof a === 'string' && EXACT_ACTIONS[a] !== undefined));
}

/**
 * A policy document whose Allow statements get the exact actions of the
 * wildcards aws-cdk-lib's grants write, at resolution. Deny statements keep
 * their wildcards: narrowing a Deny would widen what is allowed.
 */
class ExactActionsDocument implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly original: iam.PolicyDocument) {}

  public resolve(context: IResolveContext): unknown {
    const document = context.resolve(this.original);
    for (const statement of [document?.Statement].flat().filter((st: any) => st?.Effect === 'Allow')) {
      const actions: unknown[] = [statement.Action].flat();
      if (actions.some((a) => typeof a === 'string' && EXACT_ACTIONS[a] !== undefined)) {
        statement.Action = [...new Set(actions.flatMap((a) => (typeof a === 'string' && EXACT_ACTIONS[a] ? [...EXACT_ACTIONS[a]] : [a])))];
      }
    }
    return document;
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/**
 * Acknowledges, during synthesis (once references are resolved), the
 * AwsSolutions-IAM5 findings of S3 object patterns under the app's buckets:
 * `<Bucket.Arn>/*` is the narrowest resource a grant on a whole bucket has.
 */
function acknowledgeObjectPatterns(policy: iam.CfnPolicy): void {
  const stack = Stack.of(policy);
  policy.node.addValidation({
    validate: () => {
      const statements: any[] = [stack.resolve(policy.policyDocument)?.Statement].flat().filter(Boolean);
      const ids = statements
        .filter((s) => s.Effect === 'Allow' && [s.Action].flat().every((a: unknown) => typeof a === 'string' && (a.startsWith('s3:') || a.startsWith('kms:'))))
        .flatMap((s) => [s.Resource].flat().map(flattenReference))
        .filter((flat) => /^<[^>]+\.Arn>\/[^*]*\*$/.test(flat))
        .map((flat) => ruleId(PACK.AWS_SOLUTIONS, 'IAM5', `Resource::${flat}`));
      if (ids.length > 0) {
        acknowledge(policy, AcknowledgementCause.AWS_FORCED, [...new Set(ids)], 'S3 object ARNs take a key pattern: a grant on a bucket\'s objects has no narrower resource (rewritten by SecureDefaults)');
      }
      return [];
    },
  });
}
