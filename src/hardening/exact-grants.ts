import { IAspect, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { acknowledge, AcknowledgementCause } from '../core/justification';
import { PACK, ruleId } from '../core/nag-rule-ids';
import { EXACT_ACTIONS } from '../core/private/exact-actions';
import { HARDENING_METADATA, HardeningRecord } from '../core/private/hardening-record';
import { flattenReference } from '../core/private/wildcard-findings';

/** The hardening control of the grant rewrite, as the report and `HardeningControl` name it. @internal */
export const EXACT_GRANTS_CONTROL = 'grants.exactActions';

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
    // The document with its tokens as they are (references to other stacks must stay tokens for aws-cdk-lib to export them).
    const document = node.policyDocument instanceof iam.PolicyDocument ? node.policyDocument.toJSON() : undefined;
    const statements: any[] = Array.isArray(document?.Statement) ? document.Statement : [];
    const rewritten: string[] = [];
    for (const statement of statements) {
      const actions: unknown[] = [statement?.Action].flat();
      if (!actions.some((a) => typeof a === 'string' && EXACT_ACTIONS[a] !== undefined)) {
        continue;
      }
      rewritten.push(...actions.filter((a): a is string => typeof a === 'string' && EXACT_ACTIONS[a] !== undefined));
      statement.Action = [...new Set(actions.flatMap((a) => (typeof a === 'string' && EXACT_ACTIONS[a] ? [...EXACT_ACTIONS[a]] : [a])))];
    }
    if (rewritten.length === 0) {
      return;
    }
    // The L1's own property, not an override: rule packs read the properties, and overrides only at the end.
    node.policyDocument = iam.PolicyDocument.fromJson(document);
    const record = new HardeningRecord(node.node.id, 'iam.Policy');
    record.add(EXACT_GRANTS_CONTROL, `exact actions instead of ${[...new Set(rewritten)].sort().join(', ')}`);
    node.node.scope!.node.addMetadata(HARDENING_METADATA, record.toJson());
    acknowledgeObjectPatterns(node);
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
