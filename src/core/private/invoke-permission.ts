import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * Lets the AWS service `servicePrincipal` invoke `fn` on behalf of exactly
 * `sourceArn`, from this account only (confused-deputy protection). The
 * permission is created under `scope` (the resource that invokes), as
 * `InvokePermission`.
 *
 * @internal
 */
export function allowServiceToInvoke(fn: lambda.IFunction, servicePrincipal: string, sourceArn: string, scope: Construct): void {
  fn.addPermission('InvokePermission', {
    principal: new iam.ServicePrincipal(servicePrincipal),
    scope,
    sourceArn,
    sourceAccount: Stack.of(scope).account,
  });
}
