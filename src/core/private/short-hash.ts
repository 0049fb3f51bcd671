import { createHash } from 'crypto';

/**
 * Eight upper-case hex characters of the SHA-256 of `value` (as JSON): a
 * stable suffix for construct ids that must differ per configuration.
 *
 * @internal
 */
export function shortHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8).toUpperCase();
}
