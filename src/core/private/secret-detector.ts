import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Detection of secrets written into plain configuration (Lambda environment
 * variables). One implementation, used by `SecureFunction` at construction and
 * by the compliance rule that checks every function of an app.
 *
 * @internal
 */

interface ValuePattern {
  readonly what: string;
  readonly pattern: RegExp;
}

/** Values that are secrets whatever the variable is called. */
const SECRET_VALUE_PATTERNS: readonly ValuePattern[] = [
  { what: 'an AWS access key id', pattern: /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  { what: 'a PEM private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----/ },
  { what: 'a GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { what: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { what: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { what: 'a Slack webhook URL', pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { what: 'a Stripe key', pattern: /\b[rs]k_(live|test)_[A-Za-z0-9]{16,}\b/ },
  { what: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { what: 'a SendGrid key', pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/ },
  { what: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { what: 'an OpenAI or Anthropic key', pattern: /\bsk-(ant-|proj-)?[A-Za-z0-9_-]{20,}\b/ },
  { what: 'a Twilio key', pattern: /\bSK[0-9a-f]{32}\b/ },
  { what: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
];

/**
 * A URL whose user-info holds a password, with or without a user name
 * (`postgres://user:pw@host/db`, `redis://:pw@host:6379`), anywhere in the value.
 * Group 1 is the password.
 */
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:([^\s/?#@]+)@/gi;

/**
 * A secret entry of a `key=value` connection string (ADO.NET, ODBC, JDBC
 * properties, libpq, Azure Storage and Service Bus, query strings), keys
 * matched case-insensitively. Group 1 is the key, group 2 the blanks after `=`, group 3 the value.
 */
const SECRET_ENTRY =
  /(?:^|[;\s?&])\s*(password|passwd|pwd|pass|account\s*key|shared\s*access\s*key|shared\s*access\s*signature|client\s*secret|secret|api\s*key|sig)\s*=([ \t]*)("[^"]*"|'[^']*'|[^;&\s]*)/gi;

/** Stand-ins that are not secrets: `${TOKEN}`, `$TOKEN`, `%TOKEN%`, `{{token}}`, `<password>`, `***`, `%s`. */
const PLACEHOLDER = /^(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|\{\{[^}]*\}\}|<[^<>]+>|\*+|%s)$/;

/** Whether `value` (unquoted, decoded) is a real secret rather than empty or a placeholder. */
function isLiteralSecret(value: string): boolean {
  let text = value.trim();
  if (/^(["']).*\1$/.test(text)) {
    text = text.slice(1, -1).trim();
  }
  try {
    text = decodeURIComponent(text);
  } catch {
    // Not percent-encoded: judge it as written.
  }
  return text.length > 0 && !PLACEHOLDER.test(text);
}

/** Why `value` holds credentials in a connection string, or `undefined`. */
function connectionStringSecret(value: string): string | undefined {
  for (const match of value.matchAll(URL_CREDENTIALS)) {
    if (isLiteralSecret(match[1])) {
      return 'credentials in a connection string (a password in the URL)';
    }
  }
  for (const match of value.matchAll(SECRET_ENTRY)) {
    // `password= dbname=x` (libpq): an empty value, then the next entry.
    const nextEntry = match[2].length > 0 && /^[A-Za-z_]\w*=/.test(match[3]);
    if (!nextEntry && isLiteralSecret(match[3])) {
      return `a secret in a connection string (\`${match[1].replace(/\s+/g, ' ')}=\`)`;
    }
  }
  return undefined;
}

/** An AWS secret access key: 40 characters of base64 alphabet mixing cases and digits. */
const AWS_SECRET_KEY = /^[A-Za-z0-9/+]{40}$/;

/** Names that announce a secret value. */
const SECRET_NAME = /(PASSW(OR)?D|PASSWD|(^|_)PWD($|_)|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH_?KEY|SIGNING_?KEY|CLIENT_?SECRET)/i;

/** Suffixes that make such a name a reference or a setting, not the secret itself. */
const REFERENCE_SUFFIX = /_(ARN|NAME|ID|PATH|PARAM(ETER)?|HEADER|PORT|TTL|SIZE|ENABLED|REGION|FIELD|VERSION|TIMEOUT|URL|ENDPOINT|FILE|LENGTH|TYPE|LEVEL)$/i;

/** Values that are never secrets: booleans, numbers, ARNs, empty. */
const BENIGN_VALUE = /^(|true|false|yes|no|on|off|enabled|disabled|none|null|-?\d+(\.\d+)?|arn:aws[a-z-]*:[^\s]+)$/i;

/** A Secrets Manager / SSM SecureString dynamic reference unwrapped into configuration. */
const DYNAMIC_REFERENCE = /\{\{resolve:(secretsmanager|ssm-secure):/;

/**
 * Why `value` of the variable `name` looks like a secret, or `undefined`.
 * Values holding unresolved tokens are not judged here (see {@link findDynamicSecretReference}).
 */
export function detectSecret(name: string, value: string): string | undefined {
  if (Token.isUnresolved(value)) {
    return undefined;
  }
  const dynamic = findDynamicSecretReferenceIn(value);
  if (dynamic) {
    return dynamic;
  }
  for (const { what, pattern } of SECRET_VALUE_PATTERNS) {
    if (pattern.test(value)) {
      return `its value looks like ${what}`;
    }
  }
  const connection = connectionStringSecret(value);
  if (connection) {
    return `its value holds ${connection}`;
  }
  if (AWS_SECRET_KEY.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value)) {
    return 'its value looks like an AWS secret access key';
  }
  if (SECRET_NAME.test(name) && !REFERENCE_SUFFIX.test(name) && !BENIGN_VALUE.test(value.trim()) && !PLACEHOLDER.test(value.trim())) {
    return 'its name says it holds a secret and its value is a literal';
  }
  return undefined;
}

function findDynamicSecretReferenceIn(text: string): string | undefined {
  const match = DYNAMIC_REFERENCE.exec(text);
  return match
    ? `it embeds a \`{{resolve:${match[1]}:...}}\` dynamic reference, which puts the secret value in plain configuration`
    : undefined;
}

/**
 * Resolves `value` in `scope`'s stack and reports a secret dynamic reference
 * anywhere in it (e.g. `secret.secretValue.toString()` or `SecretValue` tokens).
 */
export function findDynamicSecretReference(scope: IConstruct, value: string): string | undefined {
  if (!Token.isUnresolved(value)) {
    return findDynamicSecretReferenceIn(value);
  }
  let resolved: unknown;
  try {
    resolved = Stack.of(scope).resolve(value);
  } catch {
    return undefined;
  }
  return findDynamicSecretReferenceIn(JSON.stringify(resolved) ?? '');
}
