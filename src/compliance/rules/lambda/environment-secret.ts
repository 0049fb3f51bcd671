import { CfnResource, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { detectSecret } from '../../../core/private/secret-detector';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** No environment variable holds a secret-looking literal or a secret dynamic reference. */
export const LAMBDA_ENVIRONMENT_SECRET: AegisRule = {
  id: 'LAMBDA2',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::Lambda::Function'],
  info: 'A Lambda environment variable holds a secret (a key, token, password or a {{resolve:secretsmanager:...}} reference).',
  explanation:
    'Environment variables are plain configuration: anyone who can read the function configuration, the template or the ' +
    'deployment logs sees them. Keep the secret in Secrets Manager, pass its ARN, and read it at run time ' +
    '(SecureFunction: `secrets: { NAME: secret }`). The finding names the variable: `Variable::<NAME>`.',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof lambda.CfnFunction)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const environment = index.resolve(node.environment);
    const variables: Record<string, unknown> = environment?.variables ?? environment?.Variables ?? {};
    const findings = Object.entries(variables)
      .filter(([name, value]) => {
        // Unresolved parts (Ref, GetAtt, Join) are judged on their resolved text: only a dynamic reference can be a secret there.
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        return !Token.isUnresolved(text) && detectSecret(typeof value === 'string' ? name : '', text) !== undefined;
      })
      .map(([name]) => `Variable::${name}`);
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
