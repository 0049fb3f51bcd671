import { CfnResource, Stack } from 'aws-cdk-lib';
import { referencedLogicalId, stackResources } from '../../core/private/stack-resources';

/**
 * The resources of one stack, by CloudFormation type and logical id, built
 * once per stack and validation run, so a rule that looks across resources
 * costs a map lookup instead of a walk of the construct tree (cdk-nag's
 * `findAll` per resource is O(n²)).
 *
 * @internal
 */
export class StackIndex {
  /** Builds the index of `stack` (nested stacks have their own). */
  public static build(stack: Stack): StackIndex {
    return new StackIndex(stack);
  }

  private readonly byType = new Map<string, CfnResource[]>();
  /** Type → logical id → resource, for the types rules look up by reference (a logical id costs a hash to compute). */
  private readonly byLogicalId = new Map<string, Map<string, CfnResource>>();
  private readonly memos = new Map<string, unknown>();

  private constructor(public readonly stack: Stack) {
    for (const resource of stackResources(stack)) {
      const list = this.byType.get(resource.cfnResourceType) ?? [];
      list.push(resource);
      this.byType.set(resource.cfnResourceType, list);
    }
  }

  /** Every resource of `type` (e.g. `AWS::WAFv2::WebACLAssociation`) in the stack. */
  public ofType(type: string): CfnResource[] {
    return this.byType.get(type) ?? [];
  }

  /** The resource `value` refers to (`Ref` or `Fn::GetAtt` in this stack), if it is of `type`. */
  public referenced(value: unknown, type: string): CfnResource | undefined {
    const id = referencedLogicalId(this.stack.resolve(value));
    if (id === undefined) {
      return undefined;
    }
    let ofType = this.byLogicalId.get(type);
    if (ofType === undefined) {
      ofType = new Map(this.ofType(type).map((resource) => [this.stack.resolve(resource.logicalId), resource]));
      this.byLogicalId.set(type, ofType);
    }
    return ofType.get(id);
  }

  /**
   * A view of the stack a rule derives from the index (e.g. the set of
   * logged web ACLs), computed on first use and kept for the rest of the run,
   * so a rule that looks across resources stays linear.
   */
  public memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) {
      this.memos.set(key, compute());
    }
    return this.memos.get(key) as T;
  }

  /** `value` resolved in the stack. */
  public resolve(value: unknown): any {
    return this.stack.resolve(value);
  }
}
