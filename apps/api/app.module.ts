import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { createDataSource } from '../../libs/persistence';
import { AuthModule } from './auth/auth.module';
import { CadencesModule } from './cadences/cadences.module';
import { appConfig, getAppConfig } from './config/configuration';
import { HealthModule } from './health/health.module';
import { IncidentsModule } from './incidents/incidents.module';
import { NonconformitiesModule } from './nonconformities/nonconformities.module';
import { PeopleModule } from './people/people.module';
import { StatusModule } from './status/status.module';
import { SystemsModule } from './systems/systems.module';
import { TasksModule } from './tasks/tasks.module';
import { TemporalModule } from './temporal/temporal.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService): TypeOrmModuleOptions => ({
        // The same options as libs/persistence createDataSource; the schema comes from
        // apps/migrate, run before the API starts.
        ...createDataSource(getAppConfig(config).databaseUrl).options,
        migrationsRun: false,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
    TemporalModule,
    AuthModule,
    HealthModule,
    PeopleModule,
    SystemsModule,
    CadencesModule,
    TasksModule,
    IncidentsModule,
    NonconformitiesModule,
    StatusModule,
  ],
})
export class AppModule {}
