/**
 * The API's configuration as a global provider: main.ts loads it once (libs/config) and
 * hands it to AppModule.forRoot; inject it with `@Inject(API_CONFIG) config: ApiConfig`.
 */
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { ApiConfig } from '../../../libs/config';

export const API_CONFIG = 'AIMS_API_CONFIG';

@Global()
@Module({})
export class ApiConfigModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return { module: ApiConfigModule, providers: [{ provide: API_CONFIG, useValue: config }], exports: [API_CONFIG] };
  }
}
