import { createHash, randomBytes } from 'crypto';

export const TOKEN_PREFIX = 'aims_';

/** A new bearer token: 'aims_' + 32 random bytes, base64url. Shown once, stored hashed. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** What is stored in api_tokens.token_hash: sha256 of the token, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
