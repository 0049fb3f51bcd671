import { CfnResource } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AegisRule } from '../rule';
import { referencedLogicalId, StackIndex } from '../stack-index';

/** A REST API stage is protected by a web ACL with a rate-based rule. */
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
    const stageId = node.logicalId;
    const resolvedStageId = index.resolve(stageId);
    const apiId = referencedLogicalId(index.resolve(node.restApiId));
    for (const association of index.ofType(wafv2.CfnWebACLAssociation.CFN_RESOURCE_TYPE_NAME) as wafv2.CfnWebACLAssociation[]) {
      const target = JSON.stringify(index.resolve(association.resourceArn));
      const names = [resolvedStageId, index.resolve(node.stageName)].filter((n) => typeof n === 'string');
      if (apiId === undefined || !target.includes(`"${apiId}"`) || !names.some((n) => target.includes(`"${n}"`) || target.includes(`/stages/${n}`))) {
        continue;
      }
      const webAcl = index.referenced(association.webAclArn, wafv2.CfnWebACL.CFN_RESOURCE_TYPE_NAME) as wafv2.CfnWebACL | undefined;
      if (webAcl === undefined) {
        return NagRuleCompliance.COMPLIANT;
      }
      const rules: any[] = index.resolve(webAcl.rules) ?? [];
      if (rules.some((rule) => rule?.statement?.rateBasedStatement !== undefined || rule?.Statement?.RateBasedStatement !== undefined)) {
        return NagRuleCompliance.COMPLIANT;
      }
    }
    return NagRuleCompliance.NON_COMPLIANT;
  },
};
