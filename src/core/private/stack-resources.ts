import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every L1 resource of `stack`, in tree order, without those of nested
 * stacks (they have their own template).
 *
 * @internal
 */
export function stackResources(stack: Stack): CfnResource[] {
  const found: CfnResource[] = [];
  const visit = (construct: IConstruct): void => {
    if (CfnResource.isCfnResource(construct)) {
      found.push(construct);
    }
    for (const child of construct.node.children) {
      if (!Stack.isStack(child)) {
        visit(child);
      }
    }
  };
  visit(stack);
  return found;
}

/**
 * The logical id a resolved `{ Ref }` or `{ Fn::GetAtt }` names.
 *
 * @internal
 */
export function referencedLogicalId(resolved: unknown): string | undefined {
  if (resolved && typeof resolved === 'object') {
    const o = resolved as Record<string, unknown>;
    if (typeof o.Ref === 'string') {
      return o.Ref;
    }
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      return getAtt[0];
    }
  }
  return undefined;
}
