/**
 * Whether `event` matches the EventBridge event `pattern`, with the pattern
 * semantics the security-change rules use (EventBridge user guide, "Event
 * patterns" and "Content filtering"):
 *
 * - every field of the pattern must be present in the event and match (`$or`
 *   matches when any of its patterns does);
 * - a pattern value is a list: the field matches when any entry does;
 * - an event array matches when any of its elements does;
 * - entries: a literal (exact, case-sensitive), `{ prefix }`, `{ suffix }`,
 *   `{ exists: boolean }`, `{ 'anything-but': literal | literal[] | { prefix } | { suffix } }`;
 * - anything else throws, so a pattern the tests cannot judge never passes.
 *
 * No maintained npm package evaluates patterns offline (aws-sdk's TestEventPattern
 * calls the service), hence this small one, tested in event-pattern.test.ts.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      return (expected as Array<Record<string, unknown>>).some((alternative) => matchesPattern(alternative, event));
    }
    const actual = event?.[key];
    if (Array.isArray(expected)) {
      return matchesField(expected, actual, key in (event ?? {}));
    }
    if (expected !== null && typeof expected === 'object') {
      return actual !== null && typeof actual === 'object' && !Array.isArray(actual) && matchesPattern(expected as Record<string, unknown>, actual as Record<string, unknown>);
    }
    throw new Error(`pattern field ${key} must be a list or an object, got ${JSON.stringify(expected)}`);
  });
}

function matchesField(entries: unknown[], actual: unknown, present: boolean): boolean {
  const exists = entries.find((e) => e !== null && typeof e === 'object' && 'exists' in (e as object)) as { exists: boolean } | undefined;
  if (exists !== undefined) {
    return exists.exists === (present && actual !== undefined);
  }
  if (!present || actual === undefined) {
    return false;
  }
  const values = Array.isArray(actual) ? actual : [actual];
  return values.some((value) => entries.some((entry) => matchesEntry(entry, value)));
}

function matchesEntry(entry: unknown, value: unknown): boolean {
  if (entry === null || typeof entry !== 'object') {
    return entry === value;
  }
  const [[matcher, argument], ...rest] = Object.entries(entry as Record<string, unknown>);
  if (rest.length > 0) {
    throw new Error(`one matcher per entry, got ${JSON.stringify(entry)}`);
  }
  switch (matcher) {
    case 'prefix':
      return typeof value === 'string' && typeof argument === 'string' && value.startsWith(argument);
    case 'suffix':
      return typeof value === 'string' && typeof argument === 'string' && value.endsWith(argument);
    case 'anything-but':
      return !anythingButExcludes(argument, value);
    default:
      throw new Error(`matcher ${matcher} is not supported by this test helper`);
  }
}

function anythingButExcludes(argument: unknown, value: unknown): boolean {
  if (Array.isArray(argument)) {
    return argument.includes(value);
  }
  if (argument !== null && typeof argument === 'object') {
    const { prefix, suffix } = argument as { prefix?: string; suffix?: string };
    if (prefix !== undefined) {
      return typeof value === 'string' && value.startsWith(prefix);
    }
    if (suffix !== undefined) {
      return typeof value === 'string' && value.endsWith(suffix);
    }
    throw new Error(`anything-but ${JSON.stringify(argument)} is not supported by this test helper`);
  }
  return argument === value;
}

/**
 * A template value as it would be deployed: `Ref` and `Fn::GetAtt` of a
 * resource become `deployed(logicalId, attribute)`, pseudo parameters the
 * given values, and `Fn::Join` joins.
 */
export function deployedValue(value: unknown, deployed: (logicalId: string, attribute?: string) => string, pseudo: Record<string, string>): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => deployedValue(v, deployed, pseudo));
  }
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, any>;
    if (typeof o.Ref === 'string') {
      return pseudo[o.Ref] ?? deployed(o.Ref);
    }
    if (Array.isArray(o['Fn::GetAtt'])) {
      return deployed(o['Fn::GetAtt'][0], o['Fn::GetAtt'][1]);
    }
    if (Array.isArray(o['Fn::Join'])) {
      const [separator, parts] = o['Fn::Join'];
      return (deployedValue(parts, deployed, pseudo) as string[]).join(separator);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, deployedValue(v, deployed, pseudo)]));
  }
  return value;
}
