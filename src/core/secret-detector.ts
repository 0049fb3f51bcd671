import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Detection of secrets written into plain configuration (Lambda environment
 * variables). One implementation, used by `SecureFunction` at construction and
 * by the compliance rule that checks every function of an app.
 *
 * Not part of the public API.
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
  { what: 'credentials in a connection string', pattern: /^[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]+:[^\s/?#@]+@/i },
  { what: 'a password in a connection string', pattern: /(^|;)\s*(password|pwd)\s*=\s*[^;\s]+/i },
];

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
  if (AWS_SECRET_KEY.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value)) {
    return 'its value looks like an AWS secret access key';
  }
  if (SECRET_NAME.test(name) && !REFERENCE_SUFFIX.test(name) && !BENIGN_VALUE.test(value.trim())) {
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
