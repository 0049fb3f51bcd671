import { Construct, IConstruct } from 'constructs';

/**
 * Lets a subclass of an L2 create children of itself for props its base class
 * reads in its own constructor (e.g. the `role` of a `lambda.Function`): the
 * factory runs on first call, when the base class reads the prop, by which time
 * the construct is registered under `scope` as `id`. The child therefore sits
 * under the construct, where its id and its acknowledgements belong.
 *
 * Not part of the public API.
 */
export function deferredChild<T>(scope: Construct, id: string, create: (self: Construct) => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    if (!made) {
      const self = scope.node.tryFindChild(id) as IConstruct | undefined;
      if (!self) {
        throw new Error(`cdk-aegis internal error: ${scope.node.path}/${id} is not constructed yet`);
      }
      made = { value: create(self as Construct) };
    }
    return made.value;
  };
}
