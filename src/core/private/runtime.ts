import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The newest runtime of `family` (e.g. `nodejs`) that this aws-cdk-lib knows,
 * by the same ordering the LambdaLatestVersion rules use.
 *
 * @internal
 */
export function latestRuntimeOf(family: string): lambda.Runtime {
  // Every SecureFunction asks: sorting with a numeric collator each time costs ~0.3 ms per function.
  let latest = LATEST.get(family);
  if (latest === undefined) {
    latest = findLatest(family);
    LATEST.set(family, latest);
  }
  return latest;
}

const LATEST = new Map<string, lambda.Runtime>();

function findLatest(family: string): lambda.Runtime {
  const versionOf = (runtime: lambda.Runtime): string => /^[a-z]+(\d+(\.?\d+|\.x)?)?/.exec(runtime.name)?.[1] ?? '0';
  const candidates = lambda.Runtime.ALL.filter((runtime) => runtime.family !== undefined && runtime.name.startsWith(family));
  // One collator for the sort (`localeCompare` with options builds one per comparison: most of this function's time).
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const sorted = [...candidates].sort((a, b) => collator.compare(versionOf(a), versionOf(b)));
  const latest = sorted[sorted.length - 1];
  if (!latest) {
    throw new Error(`cdk-aegis internal error: aws-cdk-lib knows no ${family} runtime`);
  }
  return latest;
}
