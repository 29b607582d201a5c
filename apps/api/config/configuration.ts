/**
 * The API's configuration, read once from the environment and validated at start-up.
 *
 * Typed access:
 *   constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {}
 * or, from a ConfigService: `getAppConfig(configService)`.
 */
import { ConfigService, registerAs } from '@nestjs/config';
import { DEFAULT_TASK_QUEUE } from '../../../libs/contracts';
import * as fs from 'fs';
import { parseRegimeCatalog, Regime, REGIMES } from '../../../libs/domain';
import { isValidTimeZone } from '../../../libs/domain';

export interface AppConfig {
  /** PostgreSQL connection string (DATABASE_URL, required). */
  databaseUrl: string;
  temporal: {
    /** TEMPORAL_ADDRESS, default localhost:7233. */
    address: string;
    /** TEMPORAL_NAMESPACE, default 'default'. */
    namespace: string;
    /** TEMPORAL_TASK_QUEUE, default DEFAULT_TASK_QUEUE ('aims'). */
    taskQueue: string;
  };
  /** AIMS_ADMIN_TOKEN: a token registered for the bootstrap admin, when set. */
  adminToken: string | undefined;
  /** AIMS_TIMEZONE: IANA zone of the organisation's calendar, default 'UTC'. */
  timeZone: string;
  /** PORT, default 3000. */
  port: number;
  /** The regulatory regimes incidents may name: the built-in ones, plus AIMS_REGIMES_FILE's. */
  regimes: Record<string, Regime>;
}

export const CONFIG_NAMESPACE = 'aims';

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/** Reads and validates the environment; throws one error listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  if (!databaseUrl) problems.push('DATABASE_URL is required (e.g. postgres://user:pass@localhost:5432/aims)');

  const timeZone = nonEmpty(env.AIMS_TIMEZONE) ?? 'UTC';
  if (!isValidTimeZone(timeZone)) problems.push(`AIMS_TIMEZONE '${timeZone}' is not a valid IANA time zone (e.g. Europe/Berlin)`);

  const portRaw = nonEmpty(env.PORT) ?? '3000';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || !Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT '${portRaw}' must be an integer between 0 and 65535`);
  }

  const adminToken = nonEmpty(env.AIMS_ADMIN_TOKEN);
  if (adminToken !== undefined && adminToken.length < 16) problems.push('AIMS_ADMIN_TOKEN must be at least 16 characters');

  let regimes = REGIMES;
  const regimesFile = nonEmpty(env.AIMS_REGIMES_FILE);
  if (regimesFile) {
    try {
      const parsed = parseRegimeCatalog(JSON.parse(fs.readFileSync(regimesFile, 'utf8')));
      if ('problems' in parsed) problems.push(...parsed.problems.map((p) => `AIMS_REGIMES_FILE ${regimesFile}: ${p}`));
      else regimes = parsed.catalog;
    } catch (err) {
      problems.push(`AIMS_REGIMES_FILE ${regimesFile} cannot be read as JSON: ${(err as Error).message}`);
    }
  }

  if (problems.length) throw new Error(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    databaseUrl: databaseUrl!,
    temporal: {
      address: nonEmpty(env.TEMPORAL_ADDRESS) ?? 'localhost:7233',
      namespace: nonEmpty(env.TEMPORAL_NAMESPACE) ?? 'default',
      taskQueue: nonEmpty(env.TEMPORAL_TASK_QUEUE) ?? DEFAULT_TASK_QUEUE,
    },
    adminToken,
    timeZone,
    port,
    regimes,
  };
}

/** Registered with ConfigModule.forRoot({ load: [appConfig] }); inject with @Inject(appConfig.KEY). */
export const appConfig = registerAs(CONFIG_NAMESPACE, () => loadConfig(process.env));

/** The typed configuration from a ConfigService. */
export function getAppConfig(config: ConfigService): AppConfig {
  const c = config.get<AppConfig>(CONFIG_NAMESPACE);
  if (!c) throw new Error('AIMS configuration is not loaded (ConfigModule.forRoot({ load: [appConfig] }))');
  return c;
}
