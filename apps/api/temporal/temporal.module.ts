/**
 * Global module: a lazily connected `@temporalio/client` `Client` (inject it by its class)
 * and the task queue name (inject with `@Inject(TEMPORAL_TASK_QUEUE)`). The connection is
 * closed when the application shuts down.
 */
import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { ApiConfig } from '../../../libs/config';
import { API_CONFIG } from '../config/api-config.module';
import { closeTemporalClient, createTemporalClient, TEMPORAL_TASK_QUEUE } from './temporal.client';

export { TEMPORAL_TASK_QUEUE } from './temporal.client';

@Global()
@Module({
  providers: [
    { provide: Client, inject: [API_CONFIG], useFactory: (config: ApiConfig): Client => createTemporalClient(config.temporal) },
    { provide: TEMPORAL_TASK_QUEUE, inject: [API_CONFIG], useFactory: (config: ApiConfig): string => config.temporal.taskQueue },
  ],
  exports: [Client, TEMPORAL_TASK_QUEUE],
})
export class TemporalModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Temporal');

  constructor(
    private readonly client: Client,
    @Inject(API_CONFIG) { temporal }: ApiConfig,
  ) {
    this.logger.log(
      `client for ${temporal.address} namespace ${temporal.namespace}, task queue ${temporal.taskQueue}` + (temporal.tls ? ' (TLS)' : ''),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      await closeTemporalClient(this.client);
    } catch (err) {
      this.logger.warn(`closing the Temporal connection: ${(err as Error).message}`);
    }
  }
}
