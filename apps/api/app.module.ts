import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { ApiConfig } from '../../libs/config';
import { createDataSource } from '../../libs/persistence';
import { AuditProgrammesModule } from './audit-programmes/audit-programmes.module';
import { AuditPackageModule } from './audit-package/audit-package.module';
import { AuditTrailModule } from './audit-trail/audit-trail.module';
import { AuthModule } from './auth/auth.module';
import { CadencesModule } from './cadences/cadences.module';
import { CalendarFeedsModule } from './calendar-feeds/calendar-feeds.module';
import { ApiConfigModule } from './config/api-config.module';
import { FormsModule } from './forms/forms.module';
import { HealthModule } from './health/health.module';
import { IncidentsModule } from './incidents/incidents.module';
import { InventoryRecertificationsModule } from './inventory-recertifications/inventory-recertifications.module';
import { ManagementReviewsModule } from './management-reviews/management-reviews.module';
import { NonconformitiesModule } from './nonconformities/nonconformities.module';
import { PeopleModule } from './people/people.module';
import { PoliciesModule } from './policies/policies.module';
import { SoaModule } from './soa/soa.module';
import { StatusModule } from './status/status.module';
import { SystemsModule } from './systems/systems.module';
import { TasksModule } from './tasks/tasks.module';
import { TemporalModule } from './temporal/temporal.module';

/** The API's modules over the configuration main.ts loaded once. */
@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ApiConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          // The same options as libs/persistence createDataSource; the schema comes from
          // apps/migrate, run before the API starts.
          ...(createDataSource(config.databaseUrl).options as TypeOrmModuleOptions),
          migrationsRun: false,
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        TemporalModule,
        AuthModule,
        HealthModule,
        PeopleModule,
        SystemsModule,
        CadencesModule,
        FormsModule,
        TasksModule,
        IncidentsModule,
        NonconformitiesModule,
        StatusModule,
        AuditTrailModule,
        AuditPackageModule,
        SoaModule,
        InventoryRecertificationsModule,
        PoliciesModule,
        AuditProgrammesModule,
        ManagementReviewsModule,
        CalendarFeedsModule,
      ],
    };
  }
}
