import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AegisValidationError } from '../errors';

/**
 * The construct cdk-aegis keeps once per stack under `id`, created by `create`
 * on first use. Fails clearly when something else already holds that id.
 *
 * @internal
 */
export function stackSingleton<T extends IConstruct>(
  scope: IConstruct,
  id: string,
  what: string,
  isExpected: (existing: IConstruct) => boolean,
  create: (stack: Stack) => T,
): T {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(id);
  if (existing === undefined) {
    return create(stack);
  }
  if (!isExpected(existing)) {
    throw new AegisValidationError(stack.node.path, [
      `the construct id \`${id}\` is reserved for ${what}, but it holds a ${existing.constructor.name}. Rename that construct.`,
    ]);
  }
  return existing as T;
}
