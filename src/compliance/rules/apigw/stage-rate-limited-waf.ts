import { CfnResource } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { referencedLogicalId } from '../../../core/private/stack-resources';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** A REST API stage is protected by a web ACL with a rate-based rule. */
interface Association {
  /** The association's resolved resource ARN, as JSON. */
  readonly target: string;
  /** Whether its web ACL has a rate-based rule (a web ACL outside the stack is trusted). */
  readonly rateLimited: boolean;
}

/** The stack's web ACL associations, resolved once per index. */
function associations(index: StackIndex): Association[] {
  return index.memo('waf:associations', () => index.ofType(wafv2.CfnWebACLAssociation.CFN_RESOURCE_TYPE_NAME).map((resource) => {
    const association = resource as wafv2.CfnWebACLAssociation;
    const webAcl = index.referenced(association.webAclArn, wafv2.CfnWebACL.CFN_RESOURCE_TYPE_NAME) as wafv2.CfnWebACL | undefined;
    const rules = webAcl === undefined ? [] : asList(index.resolve(webAcl.rules));
    return {
      target: JSON.stringify(index.resolve(association.resourceArn)),
      rateLimited: webAcl === undefined ||
        rules.some((rule) => (rule?.statement?.rateBasedStatement ?? rule?.Statement?.RateBasedStatement) !== undefined),
    };
  }));
}

function asList(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const APIGW_STAGE_RATE_LIMITED_WAF: AegisRule = {
  id: 'APIGW2',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::Stage'],
  info: 'The REST API stage is not associated with a WAF web ACL that has a rate-based rule.',
  explanation:
    'Without a per-client rate limit in front of it, one client can exhaust the stage\'s throttling budget for everyone and run ' +
    'up the bill of every function behind it. Associate a web ACL with a rate-based rule (SecureApi does, with SecureWebAcl). ' +
    'A web ACL outside this stack (an ARN) is trusted: its rules cannot be read here.',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof apigateway.CfnStage)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const apiId = referencedLogicalId(index.resolve(node.restApiId));
    const names = [index.resolve(node.logicalId), index.resolve(node.stageName)].filter((n): n is string => typeof n === 'string');
    for (const association of associations(index)) {
      // The target names the API and this stage, by logical id (Ref) or by name, as a whole word.
      const targetsStage = apiId !== undefined && association.target.includes(`"${apiId}"`) &&
        names.some((name) => association.target.includes(`"${name}"`) || new RegExp(`/stages/${escape(name)}(?![\\w-])`).test(association.target));
      if (targetsStage && association.rateLimited) {
        return NagRuleCompliance.COMPLIANT;
      }
    }
    return NagRuleCompliance.NON_COMPLIANT;
  },
};
