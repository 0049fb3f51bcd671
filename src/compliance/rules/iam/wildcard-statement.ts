import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { ACTIONS_WITHOUT_RESOURCE_SCOPING } from '../../../core/private/forced-wildcards';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** IAM policies allow exact actions on scoped resources; `*` only where AWS offers nothing narrower. */
export const IAM_WILDCARD_STATEMENT: AegisRule = {
  id: 'IAM1',
  level: NagMessageLevel.ERROR,
  resourceTypes: [
    'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy',
    'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group',
  ],
  info: 'An IAM policy allows a wildcard action, NotAction, or resource "*" for actions AWS lets you scope.',
  explanation:
    'Wildcard actions (`s3:*`, `kms:GenerateDataKey*`) grant actions nobody reviewed, including ones AWS adds later; resource ' +
    '`*` grants every resource of the account. List exact actions on exact ARNs. Resource `*` is accepted only for actions ' +
    'that have no resource-level permissions (X-Ray trace upload, VPC network-interface management, ' +
    '`secretsmanager:GetRandomPassword`, `cloudwatch:PutMetricData`). Findings: `Action::<action>`, `NotAction::<action>`, ' +
    '`NotResource`, `Resource::*`.',
  check(node: CfnResource, index: StackIndex) {
    const documents = policyDocuments(node);
    if (documents === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings = new Set<string>();
    for (const document of documents) {
      const resolved = index.resolve(document);
      for (const statement of asList(resolved?.Statement)) {
        if (statement?.Effect !== 'Allow') {
          continue;
        }
        const actions = asList(statement.Action).map(String);
        for (const action of actions.filter((a) => a.includes('*'))) {
          findings.add(`Action::${action}`);
        }
        for (const action of asList(statement.NotAction).map(String)) {
          findings.add(`NotAction::${action}`);
        }
        if (statement.NotResource !== undefined) {
          findings.add('NotResource');
        }
        const onEverything = asList(statement.Resource).some((r) => r === '*');
        if (onEverything && !actions.every((a) => ACTIONS_WITHOUT_RESOURCE_SCOPING.has(a))) {
          findings.add('Resource::*');
        }
      }
    }
    return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
  },
};

function policyDocuments(node: CfnResource): unknown[] | undefined {
  if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy || node instanceof iam.CfnRolePolicy ||
    node instanceof iam.CfnUserPolicy || node instanceof iam.CfnGroupPolicy) {
    return [node.policyDocument];
  }
  if (node instanceof iam.CfnRole || node instanceof iam.CfnUser || node instanceof iam.CfnGroup) {
    const policies = node.stack.resolve(node.policies);
    return asList(policies).map((p: any) => p?.PolicyDocument ?? p?.policyDocument);
  }
  return undefined;
}

function asList(value: unknown): any[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}
