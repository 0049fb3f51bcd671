import { CfnResource } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { referencedLogicalId } from '../../../core/private/stack-resources';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** A REST API served on a custom domain has its default execute-api endpoint disabled. */
export const APIGW_DOMAIN_ONLY_ENDPOINT: AegisRule = {
  id: 'APIGW4',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::RestApi'],
  info: 'The REST API is mapped to a custom domain but its default execute-api endpoint is still enabled.',
  explanation:
    'Callers can bypass the custom domain (its TLS policy, and any WAF or mutual TLS in front of it) through ' +
    '`https://<id>.execute-api.<region>.amazonaws.com`. Set `disableExecuteApiEndpoint: true` (SecureApi does when given a ' +
    '`customDomain`).',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof apigateway.CfnRestApi)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const mappedApis = index.memo('apigw:mapped-apis', () => new Set([
      ...index.ofType(apigateway.CfnBasePathMapping.CFN_RESOURCE_TYPE_NAME),
      ...index.ofType(apigateway.CfnBasePathMappingV2.CFN_RESOURCE_TYPE_NAME),
    ].map((mapping) => referencedLogicalId(index.resolve((mapping as apigateway.CfnBasePathMapping).restApiId)))));
    if (!mappedApis.has(index.resolve(node.logicalId))) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return index.resolve(node.disableExecuteApiEndpoint) === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
