/**
 * Readers of single environment variables. Each reader records a problem naming the variable
 * and what it accepts instead of throwing, so start-up can report every bad value at once.
 */
import * as fs from 'fs';

export type Environment = Readonly<Record<string, string | undefined>>;

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Environment) {}

  /** The trimmed value, or undefined when unset or blank. */
  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  required(name: string, example: string): string {
    const value = this.optional(name);
    if (value === undefined) this.problems.push(`${name} is required (e.g. ${example})`);
    return value ?? '';
  }

  /** A URL whose scheme is one of `schemes`. */
  url(name: string, schemes: string[], value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol.replace(/:$/, '');
    } catch {
      protocol = undefined;
    }
    if (!protocol || !schemes.includes(protocol)) {
      this.problems.push(`${name} must be a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}`);
    }
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} '${raw}' must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  /** true/1/yes/on or false/0/no/off; undefined when unset. */
  flag(name: string): boolean | undefined {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return undefined;
    if (TRUE.includes(raw)) return true;
    if (FALSE.includes(raw)) return false;
    this.problems.push(`${name} '${raw}' must be one of ${[...TRUE, ...FALSE].join(', ')}`);
    return undefined;
  }

  /** The bytes of the file the variable names. */
  file(name: string): Buffer | undefined {
    const file = this.optional(name);
    if (file === undefined) return undefined;
    try {
      return fs.readFileSync(file);
    } catch (err) {
      this.problems.push(`${name} ${file} cannot be read: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Throws one error listing every problem found so far. */
  check(): void {
    if (this.problems.length) throw new ConfigurationError(this.problems);
  }
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}
