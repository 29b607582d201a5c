/**
 * How the API reaches Temporal: one lazily connected `Client` per process.
 *
 * The connection is created with `Connection.lazy`, so the API starts (and serves the
 * database-only endpoints) even when Temporal is not up yet; the first call connects, and a
 * call made while Temporal is unreachable fails with a gRPC UNAVAILABLE that the exception
 * filter maps to 503. Temporal Cloud / a remote cluster: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_TLS=true and/or TEMPORAL_API_KEY (an API key implies TLS).
 */
import { Client, Connection } from '@temporalio/client';
import { DEFAULT_TASK_QUEUE } from '../../../libs/contracts';

/** Injection token of the task queue name (a string) the API starts workflows on. */
export const TEMPORAL_TASK_QUEUE = 'AIMS_TEMPORAL_TASK_QUEUE';
/** Injection token of the resolved {@link TemporalSettings}. */
export const TEMPORAL_SETTINGS = 'AIMS_TEMPORAL_SETTINGS';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  tls: boolean;
  apiKey?: string;
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/**
 * Settings from the environment, with the validated app configuration (when loaded)
 * taking precedence for address, namespace and task queue.
 */
export function temporalSettingsFrom(
  env: NodeJS.ProcessEnv,
  fromConfig?: { address?: string; namespace?: string; taskQueue?: string },
): TemporalSettings {
  const apiKey = nonEmpty(env.TEMPORAL_API_KEY);
  const tlsRaw = nonEmpty(env.TEMPORAL_TLS)?.toLowerCase();
  return {
    address: fromConfig?.address ?? nonEmpty(env.TEMPORAL_ADDRESS) ?? 'localhost:7233',
    namespace: fromConfig?.namespace ?? nonEmpty(env.TEMPORAL_NAMESPACE) ?? 'default',
    taskQueue: fromConfig?.taskQueue ?? nonEmpty(env.TEMPORAL_TASK_QUEUE) ?? DEFAULT_TASK_QUEUE,
    // Temporal Cloud API keys only work over TLS.
    tls: tlsRaw === 'true' || tlsRaw === '1' || (apiKey !== undefined && tlsRaw !== 'false'),
    apiKey,
  };
}

/** A client over a lazy connection: nothing is dialled until the first call. */
export function createTemporalClient(settings: TemporalSettings): Client {
  const connection = Connection.lazy({
    address: settings.address,
    tls: settings.tls ? true : undefined,
    apiKey: settings.apiKey,
  });
  return new Client({ connection, namespace: settings.namespace });
}

/** Closes the client's connection; safe to call on a connection that never connected. */
export async function closeTemporalClient(client: Client): Promise<void> {
  const connection = client.connection as Connection;
  if (typeof connection.close === 'function') await connection.close();
}
