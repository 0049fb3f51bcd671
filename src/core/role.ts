import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, AcknowledgementCause } from './justification';
import { RULES } from './nag-rule-ids';
import { guardedProps } from './private/construction';
import { isForcedWildcard } from './private/forced-wildcards';
import { stackSingleton } from './private/stack-singleton';

/** Options of {@link ScopedRole}. @internal */
export interface ScopedRoleProps {
  readonly assumedBy: iam.IPrincipal;
  readonly description?: string;
  /**
   * Put the role's permissions in a customer-managed policy (REGULATED: the
   * HIPAA / NIST / PCI packs forbid inline policies) instead of the role's own
   * inline policy (BASELINE: one CloudFormation resource fewer).
   */
  readonly customerManagedPolicy: boolean;
}

/**
 * A role with no AWS-managed policy whose permissions, including every
 * `grant*()` made to it, land in one policy of its own. Statements on `*` that
 * AWS cannot scope go to a separate policy whose IAM5 finding is acknowledged
 * as AWS-forced; any other wildcard stays in the main policy, where the rule
 * packs flag it.
 *
 * @internal
 */
export class ScopedRole extends iam.Role {
  private readonly document: iam.PolicyDocument;
  private readonly customerManaged: boolean;
  private managedPolicy?: iam.ManagedPolicy;
  private forcedPolicy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ScopedRoleProps) {
    const document = new iam.PolicyDocument();
    super(scope, id, guardedProps(scope, id, 'role', { name: 'iam.Role', injectionId: iam.Role.PROPERTY_INJECTION_ID }, {
      assumedBy: props.assumedBy,
      description: props.description,
      inlinePolicies: props.customerManagedPolicy ? undefined : { Policy: document },
    }, {
      assumedBy: { instead: 'cdk-aegis roles trust exactly the service they serve' },
      inlinePolicies: { instead: 'grant through the construct (`grantXxx`); cdk-aegis roles hold one policy of their own' },
      managedPolicies: { instead: 'cdk-aegis roles take no managed policy from an injector; grant through the construct' },
      // A permissions boundary only narrows what the role may do: an injector may add one.
      permissionsBoundary: { instead: 'an injector may add a permissions boundary but not drop one', weakens: (ours, theirs) => ours !== undefined && theirs !== ours },
    }));
    this.document = document;
    this.customerManaged = props.customerManagedPolicy;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const json = statement.toStatementJson();
    const actions = ([] as string[]).concat(json.Action ?? []);
    const resources = ([] as string[]).concat(json.Resource ?? []);
    if (statement.effect === iam.Effect.ALLOW && isForcedWildcard(actions, resources)) {
      this.forcedPolicy ??= this.createForcedPolicy();
      this.forcedPolicy.addStatements(statement);
      return { statementAdded: true, policyDependable: this.forcedPolicy };
    }
    if (this.customerManaged) {
      this.managedPolicy ??= new iam.ManagedPolicy(this, 'Policy', { roles: [this] });
      this.managedPolicy.addStatements(statement);
      return { statementAdded: true, policyDependable: this.managedPolicy };
    }
    this.document.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }

  private createForcedPolicy(): iam.ManagedPolicy {
    const policy = new iam.ManagedPolicy(this, 'AwsForcedWildcards', {
      description: 'Actions AWS allows on * only (no resource-level permissions)',
      roles: [this],
    });
    acknowledgeForcedWildcards(policy);
    return policy;
  }
}

function acknowledgeForcedWildcards(policy: iam.ManagedPolicy): void {
  acknowledge(
    policy,
    AcknowledgementCause.AWS_FORCED,
    RULES.wildcardResource,
    'this policy holds only actions that accept no resource narrower than * (see the AWS service authorization reference)',
  );
}

/**
 * A customer-managed policy shared by the stack, holding `actions` on `*` that
 * AWS cannot scope, attached to `role`. Created once per stack and `id`.
 *
 * @internal
 */
export function attachSharedForcedPolicy(scope: IConstruct, id: string, description: string, actions: string[], role: iam.IRole): iam.ManagedPolicy {
  const policy = stackSingleton(scope, id, `cdk-aegis's shared policy (${description})`, (c) => c instanceof iam.ManagedPolicy, (stack) => {
    const created = new iam.ManagedPolicy(stack, id, {
      description,
      statements: [new iam.PolicyStatement({ actions, resources: ['*'] })],
    });
    acknowledgeForcedWildcards(created);
    return created;
  });
  policy.attachToRole(role);
  return policy;
}
