/**
 * How the API reaches Temporal: one lazily connected `Client` per process.
 *
 * The connection is created with `Connection.lazy`, so the API starts (and serves the
 * database-only endpoints) even when Temporal is not up yet; the first call connects, and a
 * call made while Temporal is unreachable fails with a gRPC UNAVAILABLE that the exception
 * filter maps to 503. The address, namespace, TLS and API key come from libs/config, the same
 * settings the worker connects with.
 */
import { Client, Connection } from '@temporalio/client';
import { TemporalConfig, temporalConnectionOptions } from '../../../libs/config';

/** Injection token of the task queue name (a string) the API starts workflows on. */
export const TEMPORAL_TASK_QUEUE = 'AIMS_TEMPORAL_TASK_QUEUE';

/** A client over a lazy connection: nothing is dialled until the first call. */
export function createTemporalClient(config: TemporalConfig): Client {
  return new Client({ connection: Connection.lazy(temporalConnectionOptions(config)), namespace: config.namespace });
}

/** Closes the client's connection; safe to call on a connection that never connected. */
export async function closeTemporalClient(client: Client): Promise<void> {
  const connection = client.connection as Connection;
  if (typeof connection.close === 'function') await connection.close();
}
