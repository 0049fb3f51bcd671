import { deployedValue, matchesPattern } from './event-pattern';

describe('the EventBridge pattern matcher of the tests', () => {
  const event = {
    'source': 'aws.lambda',
    'detail-type': 'AWS API Call via CloudTrail',
    'detail': {
      eventName: 'UpdateFunctionCode20150331v2',
      userAgent: 'aws-cli/2.15',
      userIdentity: { arn: 'arn:aws:iam::123456789012:user/alice' },
      requestParameters: { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:Orders-Fn-AbC' },
      tags: ['a', 'b'],
    },
  };

  test.each([
    ['a literal', { source: ['aws.lambda'] }, true],
    ['another literal', { source: ['aws.kms'] }, false],
    ['one of several literals', { source: ['aws.kms', 'aws.lambda'] }, true],
    ['a nested literal', { detail: { userAgent: ['aws-cli/2.15'] } }, true],
    ['a prefix', { detail: { eventName: [{ prefix: 'UpdateFunctionCode' }] } }, true],
    ['a prefix that differs', { detail: { eventName: [{ prefix: 'DeleteFunction' }] } }, false],
    ['a suffix', { detail: { requestParameters: { functionName: [{ suffix: 'Orders-Fn-AbC' }] } } }, true],
    ['a suffix that differs', { detail: { requestParameters: { functionName: [{ suffix: 'Orders-Fn-XyZ' }] } } }, false],
    ['anything-but a value', { detail: { userAgent: [{ 'anything-but': 'cloudformation.amazonaws.com' }] } }, true],
    ['anything-but the value', { detail: { userAgent: [{ 'anything-but': 'aws-cli/2.15' }] } }, false],
    ['anything-but a list', { detail: { userAgent: [{ 'anything-but': ['x', 'aws-cli/2.15'] }] } }, false],
    ['anything-but a prefix', { detail: { userIdentity: { arn: [{ 'anything-but': { prefix: 'arn:aws:sts::' } }] } } }, true],
    ['anything-but the prefix', { detail: { userIdentity: { arn: [{ 'anything-but': { prefix: 'arn:aws:iam::' } }] } } }, false],
    ['a missing field', { detail: { responseElements: { arn: ['x'] } } }, false],
    ['anything-but on a missing field', { detail: { sourceIPAddress: [{ 'anything-but': 'x' }] } }, false],
    ['exists', { detail: { userAgent: [{ exists: true }] } }, true],
    ['exists: false on a missing field', { detail: { sourceIPAddress: [{ exists: false }] } }, true],
    ['an array in the event', { detail: { tags: ['b'] } }, true],
    ['$or with one match', { $or: [{ source: ['aws.kms'] }, { detail: { userAgent: ['aws-cli/2.15'] } }] }, true],
    ['$or with none', { $or: [{ source: ['aws.kms'] }, { source: ['aws.s3'] }] }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern as any, event)).toBe(expected);
  });

  test('refuses a matcher it does not implement, so no test passes by accident', () => {
    expect(() => matchesPattern({ source: [{ numeric: ['>', 1] }] } as any, event)).toThrow(/not supported/);
  });

  test('deploys Ref, Fn::GetAtt, pseudo parameters and Fn::Join', () => {
    const deployed = (id: string, attribute?: string) => (attribute ? `${id}.${attribute}` : `${id}-physical`);
    expect(deployedValue({ a: [{ Ref: 'Fn' }, { 'Fn::GetAtt': ['Key', 'Arn'] }, { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] }] }, deployed, { 'AWS::Partition': 'aws' }))
      .toEqual({ a: ['Fn-physical', 'Key.Arn', 'arn:aws:x'] });
  });
});
