import { Duration, Token } from 'aws-cdk-lib';
import { ProblemCollector } from '../errors';

/*
 * Checks of props as untyped callers pass them. Python, Java, .NET and plain
 * JavaScript reach a construct without the TypeScript compiler's help, so a
 * prop may hold a value of the wrong type (`timeout: 30`), an empty string,
 * or a string where an enum member belongs (`billingMode: 'ON_DEMAND'`).
 * Each checker records a problem naming the prop in backticks, showing the
 * value received and saying what to write instead, and returns whether the
 * value may be used. `undefined` is accepted for optional props only.
 *
 * Unresolved tokens pass: they are checked where they resolve.
 */

/** Longest text of a received value shown in an error. */
const MAX_SHOWN = 80;

/**
 * How a received value reads in an error message: strings quoted, numbers and
 * booleans as written, plain objects and arrays as (short) JSON, class
 * instances by their class.
 *
 * @internal
 */
export function shown(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return truncate(JSON.stringify(value));
    case 'function':
      return value.name ? `a function (${value.name})` : 'a function';
    case 'symbol':
      return value.toString();
    case 'object':
      break;
    default:
      return String(value);
  }
  if (value === null) {
    return 'null';
  }
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value) || proto === Object.prototype || proto === null) {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      json = undefined;
    }
    return json === undefined ? (Array.isArray(value) ? 'an array' : 'an object') : truncate(json);
  }
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name ? `an instance of ${name}` : 'an object';
}

function truncate(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  return true;
}

/**
 * Requires the props argument itself to be an object (`new X(scope, id)` from
 * JavaScript passes `undefined`; `None` or `null` may arrive too).
 *
 * @param example the required props as the user would write them, e.g. `{ code, handler: 'index.handler' }`
 * @internal
 */
export function requireProps(problems: ProblemCollector, value: unknown, example: string | undefined): boolean {
  if (value === undefined && example === undefined) {
    return true;
  }
  if (isPlainObject(value)) {
    return true;
  }
  problems.add(
    example === undefined
      ? `\`props\` must be an object of the construct's props (or left out), got: ${shown(value)}.`
      : `\`props\` must be an object with at least ${example}, got: ${shown(value)}.`,
  );
  return false;
}

/**
 * Requires a string of at least one non-blank character.
 *
 * @param example a valid value, e.g. `index.handler`
 * @internal
 */
export function requireNonEmptyString(problems: ProblemCollector, prop: string, value: unknown, example?: string): boolean {
  if (typeof value === 'string' && (Token.isUnresolved(value) || value.trim().length > 0)) {
    return true;
  }
  const e = example === undefined ? '' : `, e.g. \`${example}\``;
  problems.add(
    value === undefined
      ? `\`${prop}\` is required: pass a non-empty string${e}, got: undefined.`
      : `\`${prop}\` must be a non-empty string${e}, got: ${shown(value)}.`,
  );
  return false;
}

/**
 * Requires `undefined` or a non-empty string.
 *
 * @internal
 */
export function requireOptionalNonEmptyString(problems: ProblemCollector, prop: string, value: unknown, example?: string): boolean {
  return value === undefined || requireNonEmptyString(problems, prop, value, example);
}

/**
 * Requires `undefined` or a string (possibly empty).
 *
 * @internal
 */
export function requireOptionalString(problems: ProblemCollector, prop: string, value: unknown): boolean {
  if (value === undefined || typeof value === 'string') {
    return true;
  }
  problems.add(`\`${prop}\` must be a string, got: ${shown(value)}.`);
  return false;
}

/**
 * Requires a number (not `NaN`), e.g. `memorySize: 512` rather than `'512'`.
 *
 * @internal
 */
export function requireNumber(problems: ProblemCollector, prop: string, value: unknown, example?: string): boolean {
  if (typeof value === 'number' && !Number.isNaN(value)) {
    return true;
  }
  const e = example === undefined ? '' : `, e.g. \`${example}\``;
  problems.add(
    value === undefined
      ? `\`${prop}\` is required: pass a number${e}, got: undefined.`
      : `\`${prop}\` must be a number${e}${typeof value === 'string' ? ' (without quotes)' : ''}, got: ${shown(value)}.`,
  );
  return false;
}

/**
 * Requires `undefined` or a number (not `NaN`).
 *
 * @internal
 */
export function requireOptionalNumber(problems: ProblemCollector, prop: string, value: unknown, example?: string): boolean {
  return value === undefined || requireNumber(problems, prop, value, example);
}

/**
 * Requires `undefined` or a boolean (`'false'` is a string, and a truthy one).
 *
 * @internal
 */
export function requireOptionalBoolean(problems: ProblemCollector, prop: string, value: unknown): boolean {
  if (value === undefined || typeof value === 'boolean') {
    return true;
  }
  problems.add(`\`${prop}\` must be true or false, got: ${shown(value)}.`);
  return false;
}

/**
 * Requires a `Duration` (`undefined` too unless `required`), e.g.
 * `Duration.seconds(30)` rather than `30`.
 *
 * @param example a valid value, e.g. `Duration.seconds(30)`
 * @internal
 */
export function requireDuration(problems: ProblemCollector, prop: string, value: unknown, example: string, required = false): boolean {
  if ((value === undefined && !required) || value instanceof Duration) {
    return true;
  }
  const unit = typeof value === 'number' ? ' (a bare number has no unit)' : '';
  problems.add(
    `\`${prop}\` must be a Duration${unit}, e.g. \`${example}\` (\`Duration.Seconds(...)\` in .NET), got: ${shown(value)}.`,
  );
  return false;
}

/**
 * Requires an instance of `klass` (`undefined` too unless `required`): the
 * classes with static factories that stand for choices, e.g. `Toggle`,
 * `AlarmSetting`, `ApiAuthorization`, `lambda.Code`, `lambda.Runtime`.
 *
 * @param hint how to make a valid value, e.g. `Toggle.on() or Toggle.off({ reason })`
 * @internal
 */
export function requireInstanceOf(
  problems: ProblemCollector,
  prop: string,
  value: unknown,
  klass: { readonly prototype: object },
  hint: string,
  required = false,
): boolean {
  // Classes with private constructors (the enum-like ones) are not `new`-able types, hence the cast.
  if ((value === undefined && !required) || value instanceof (klass as new () => object)) {
    return true;
  }
  problems.add(
    value === undefined
      ? `\`${prop}\` is required: pass ${hint}, got: undefined.`
      : `\`${prop}\` must be ${hint}, got: ${shown(value)}.`,
  );
  return false;
}

/**
 * Requires an object implementing an interface, recognised by one of its
 * members (e.g. `keyArn` for `kms.IKey`), or `undefined` unless `required`.
 *
 * @param member a property every implementation has
 * @param hint what to pass, e.g. `a kms.IKey such as a kms.Key`
 * @internal
 */
export function requireInterface(problems: ProblemCollector, prop: string, value: unknown, member: string, hint: string, required = false): boolean {
  if ((value === undefined && !required) || (typeof value === 'object' && value !== null && member in value)) {
    return true;
  }
  problems.add(
    value === undefined
      ? `\`${prop}\` is required: pass ${hint}, got: undefined.`
      : `\`${prop}\` must be ${hint}, got: ${shown(value)}.`,
  );
  return false;
}

/**
 * Requires a member of the TypeScript enum `enumObject` (string- or
 * number-valued), or `undefined` unless `required`. A member's name where its
 * value belongs (`'STRING'` for `AttributeType.STRING`, whose value is `'S'`)
 * is named in the error.
 *
 * @param enumName how users write the enum, e.g. `dynamodb.AttributeType`
 * @internal
 */
export function requireEnumValue(
  problems: ProblemCollector,
  prop: string,
  value: unknown,
  enumObject: Record<string, string | number>,
  enumName: string,
  required = false,
): boolean {
  if (value === undefined && !required) {
    return true;
  }
  const members = enumMembers(enumObject);
  if ((typeof value === 'string' || typeof value === 'number') && (Token.isUnresolved(value) || members.some((m) => enumObject[m] === value))) {
    return true;
  }
  const short = enumName.split('.').pop()!;
  const named = typeof value === 'string' ? members.find((m) => m.toUpperCase() === value.toUpperCase().replace(/[ -]/g, '_')) : undefined;
  const listed = members.slice(0, 8).map((m) => `${short}.${m}`).join(', ') + (members.length > 8 ? `, ... (${members.length} in all)` : '');
  const hint = named === undefined
    ? ''
    : ` ${shown(value)} is the name of \`${enumName}.${named}\`, whose value is ${shown(enumObject[named])}: pass the member, not its name.`;
  problems.add(
    `\`${prop}\` must be a member of \`${enumName}\` (${listed}), written \`${enumName}.${named ?? members[0]}\` in TypeScript, Python, Java and .NET, ` +
      `got: ${shown(value)}.${hint}`,
  );
  return false;
}

/** The member names of a TypeScript enum (a numeric enum also maps its values back to names). */
function enumMembers(enumObject: Record<string, string | number>): string[] {
  return Object.keys(enumObject).filter((key) => !/^\d+$/.test(key));
}

/**
 * Requires a plain object (a props struct), or `undefined` unless `required`.
 *
 * @param example the struct as the user would write it, e.g. `{ rateLimit: 100, burstLimit: 200 }`
 * @internal
 */
export function requireStruct(problems: ProblemCollector, prop: string, value: unknown, example: string, required = false): boolean {
  if ((value === undefined && !required) || isPlainObject(value)) {
    return true;
  }
  problems.add(
    value === undefined
      ? `\`${prop}\` is required: pass an object such as \`${example}\`, got: undefined.`
      : `\`${prop}\` must be an object such as \`${example}\`, got: ${shown(value)}.`,
  );
  return false;
}

/**
 * Requires `undefined` or an array whose every element passes `element`
 * (called with the element's prop name, `prop[i]`).
 *
 * @param example a valid value, e.g. `['KP']`
 * @internal
 */
export function requireOptionalArray(
  problems: ProblemCollector,
  prop: string,
  value: unknown,
  example: string,
  element?: (prop: string, value: unknown) => boolean,
): boolean {
  if (value === undefined) {
    return true;
  }
  if (!Array.isArray(value)) {
    problems.add(`\`${prop}\` must be a list such as \`${example}\`, got: ${shown(value)}.`);
    return false;
  }
  if (element === undefined) {
    return true;
  }
  return value.map((item, i) => element(`${prop}[${i}]`, item)).every((ok) => ok);
}

/**
 * Requires `undefined` or a list of strings.
 *
 * @internal
 */
export function requireOptionalStringArray(problems: ProblemCollector, prop: string, value: unknown, example: string): boolean {
  return requireOptionalArray(problems, prop, value, example, (p, v) => requireNonEmptyString(problems, p, v));
}

/**
 * Requires `undefined` or an object whose values are all strings, e.g.
 * environment variables (only values that are not strings are shown).
 *
 * @internal
 */
export function requireOptionalStringMap(problems: ProblemCollector, prop: string, value: unknown, example: string): boolean {
  if (value === undefined) {
    return true;
  }
  if (!isPlainObject(value)) {
    problems.add(`\`${prop}\` must be an object of names to strings such as \`${example}\`, got: ${shown(value)}.`);
    return false;
  }
  let ok = true;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      problems.add(`\`${prop}.${key}\` must be a string (write numbers and booleans in quotes), got: ${shown(item)}.`);
      ok = false;
    }
  }
  return ok;
}

/**
 * Requires `undefined` or an object whose values each pass `element` (called
 * with `prop.key`).
 *
 * @internal
 */
export function requireOptionalMap(
  problems: ProblemCollector,
  prop: string,
  value: unknown,
  example: string,
  element: (prop: string, value: unknown) => boolean,
): boolean {
  if (value === undefined) {
    return true;
  }
  if (!isPlainObject(value)) {
    problems.add(`\`${prop}\` must be an object such as \`${example}\`, got: ${shown(value)}.`);
    return false;
  }
  return Object.entries(value).map(([key, item]) => element(`${prop}.${key}`, item)).every((ok) => ok);
}
