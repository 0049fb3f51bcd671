import * as lambda from 'aws-cdk-lib/aws-lambda';

/** How cdk-nag's LambdaLatestVersion splits a runtime name: the family (letters), then the version. @internal */
export const RUNTIME_NAME_EXPRESSION = /^([a-z]+)(\d+(\.?\d+|\.x)?)?.*$/;

const NUMERIC = { numeric: true, sensitivity: 'base' } as const;

/**
 * The newest runtime of `family` (e.g. `nodejs`) that this aws-cdk-lib knows,
 * chosen exactly as cdk-nag's LambdaLatestVersion (AwsSolutions-L1,
 * Serverless-LambdaLatestVersion) chooses it: of the runtimes in
 * `Runtime.ALL` whose name starts with `family`, the last of a stable sort by
 * version in numeric collation. Undefined when there is none.
 *
 * Computed once per `Runtime.ALL`, which only grows (every new `Runtime` is
 * pushed to it): its length and last entry tell when to compute again. cdk-nag
 * sorts with a fresh collator for every function it checks.
 *
 * @internal
 */
export function newestRuntimeOf(family: string): lambda.Runtime | undefined {
  const known = lambda.Runtime.ALL.length;
  const last = lambda.Runtime.ALL[known - 1];
  let entry = NEWEST.get(family);
  if (entry === undefined || entry.known !== known || entry.last !== last) {
    entry = { known, last, newest: findNewest(family) };
    NEWEST.set(family, entry);
  }
  return entry.newest;
}

/** The newest runtime of `family`, as {@link newestRuntimeOf}; a family aws-cdk-lib does not know is an internal error. @internal */
export function latestRuntimeOf(family: string): lambda.Runtime {
  const latest = newestRuntimeOf(family);
  if (!latest) {
    throw new Error(`cdk-aegis internal error: aws-cdk-lib knows no ${family} runtime`);
  }
  return latest;
}

const NEWEST = new Map<string, { known: number; last: lambda.Runtime | undefined; newest: lambda.Runtime | undefined }>();

function findNewest(family: string): lambda.Runtime | undefined {
  // One collator for the sort (`localeCompare` with options builds one per comparison), where the runtime has Intl.
  const compare = typeof Intl === 'object' && typeof Intl.Collator === 'function'
    ? new Intl.Collator(undefined, NUMERIC).compare
    : (a: string, b: string) => a.localeCompare(b, undefined, NUMERIC);
  // cdk-nag's object, field by field: a name the expression does not match fails on `match[1]` first, as in cdk-nag.
  const versions = lambda.Runtime.ALL.filter((rt) => rt.toString().indexOf(family) === 0)
    .map((rt) => {
      const match = rt.toString().match(RUNTIME_NAME_EXPRESSION) as RegExpMatchArray;
      return { runtime: rt, family: match[1], version: match[2] ?? '0' };
    })
    .sort((a, b) => compare(a.version, b.version));
  return versions.pop()?.runtime;
}
