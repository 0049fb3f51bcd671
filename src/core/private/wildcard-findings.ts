import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledge, AcknowledgementCause } from '../justification';
import { PACK, ruleId } from '../nag-rule-ids';

/**
 * Flattens a resolved CloudFormation value into the text rule packs use in a
 * granular finding: `{ Ref: X }` is `<X>`, `{ 'Fn::GetAtt': [X, 'Arn'] }` is
 * `<X.Arn>`, `Fn::Join` joins its flattened parts, `Fn::Sub` and
 * `Fn::ImportValue` are their argument, and `${...}` in a string is `<...>`.
 * Anything else is its JSON text.
 *
 * @internal
 */
export function flattenReference(value: unknown): string {
  if (value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  const node = value as Record<string, any>;
  if (node['Fn::Join']) {
    const [delimiter, parts] = node['Fn::Join'];
    return (parts as unknown[]).map(flattenReference).join(delimiter);
  }
  if (node['Fn::Sub']) {
    return flattenReference(node['Fn::Sub']);
  }
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) {
    return flattenReference(node['Fn::ImportValue']);
  }
  if (node.Ref) {
    return `<${flattenReference(node.Ref)}>`;
  }
  return JSON.stringify(value);
}

/**
 * The AwsSolutions-IAM5 finding ids (`AwsSolutions::AwsSolutions-IAM5[Resource::...]`)
 * that `resources` of an Allow statement produce in `stack`'s template.
 *
 * @internal
 */
export function wildcardResourceFindingIds(stack: Stack, resources: readonly string[]): string[] {
  const ids = resources
    .map((resource) => flattenReference(stack.resolve(resource)))
    .filter((flat) => flat.includes('*'))
    .map((flat) => ruleId(PACK.AWS_SOLUTIONS, 'IAM5', `Resource::${flat}`));
  return [...new Set(ids)];
}

/**
 * Acknowledges, on `construct` only, the AwsSolutions-IAM5 findings of exactly
 * `resources` (ARNs with a `*` that AWS offers nothing narrower than).
 *
 * The ids are derived from the resources as the stack of `construct` renders
 * them in its template: env-agnostic (`<AWS::AccountId>`), env-bound (literal
 * account and region), inside a Stage, or imported from another stack. That
 * form is known only once the app's cross-stack references are resolved, so
 * the acknowledgement is recorded during synthesis (a construct validation,
 * which the CDK runs after resolving references and before the rule packs),
 * never from a hand-written token pattern.
 *
 * @internal
 */
export function acknowledgeWildcardResources(construct: IConstruct, resources: readonly string[], cause: AcknowledgementCause, reason: string): void {
  const stack = Stack.of(construct);
  construct.node.addValidation({
    validate: () => {
      acknowledge(construct, cause, wildcardResourceFindingIds(stack, resources), reason);
      return [];
    },
  });
}
