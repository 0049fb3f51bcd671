import { Template } from 'aws-cdk-lib/assertions';

/** An IAM statement of a template, with the logical id of the resource that holds it. */
export interface OwnedStatement {
  readonly owner: string;
  readonly statement: any;
}

/** Every IAM statement in the template: role inline policies, policies and managed policies. */
export function iamStatements(template: Template): OwnedStatement[] {
  const out: OwnedStatement[] = [];
  for (const [owner, resource] of Object.entries<any>(template.toJSON().Resources)) {
    const docs: any[] = [];
    if (resource.Type === 'AWS::IAM::Role') docs.push(...(resource.Properties.Policies ?? []).map((p: any) => p.PolicyDocument));
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') docs.push(resource.Properties.PolicyDocument);
    for (const doc of docs) for (const statement of doc.Statement) out.push({ owner, statement });
  }
  return out;
}

/** A value or list of values, as a list (IAM `Action` / `Resource`). */
export const asArray = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);
