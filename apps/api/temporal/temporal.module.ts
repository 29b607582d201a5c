/**
 * Global module: a lazily connected `@temporalio/client` `Client` (inject it by its class)
 * and the task queue name (inject with `@Inject(TEMPORAL_TASK_QUEUE)`). The connection is
 * closed when the application shuts down.
 */
import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Client } from '@temporalio/client';
import { AppConfig, CONFIG_NAMESPACE } from '../config/configuration';
import {
  closeTemporalClient,
  createTemporalClient,
  TEMPORAL_SETTINGS,
  TEMPORAL_TASK_QUEUE,
  TemporalSettings,
  temporalSettingsFrom,
} from './temporal.client';

export { TEMPORAL_SETTINGS, TEMPORAL_TASK_QUEUE } from './temporal.client';
export type { TemporalSettings } from './temporal.client';

@Global()
@Module({
  imports: [ConfigModule],
  providers: [
    {
      provide: TEMPORAL_SETTINGS,
      inject: [ConfigService],
      useFactory: (config: ConfigService): TemporalSettings =>
        temporalSettingsFrom(process.env, config.get<AppConfig>(CONFIG_NAMESPACE)?.temporal),
    },
    {
      provide: Client,
      inject: [TEMPORAL_SETTINGS],
      useFactory: (settings: TemporalSettings): Client => createTemporalClient(settings),
    },
    {
      provide: TEMPORAL_TASK_QUEUE,
      inject: [TEMPORAL_SETTINGS],
      useFactory: (settings: TemporalSettings): string => settings.taskQueue,
    },
  ],
  exports: [Client, TEMPORAL_TASK_QUEUE, TEMPORAL_SETTINGS],
})
export class TemporalModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Temporal');

  constructor(
    private readonly client: Client,
    @Inject(TEMPORAL_SETTINGS) settings: TemporalSettings,
  ) {
    this.logger.log(
      `client for ${settings.address} namespace ${settings.namespace}, task queue ${settings.taskQueue}` + (settings.tls ? ' (TLS)' : ''),
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
