import { Module } from '@nestjs/common';
import { NonconformitiesController } from './nonconformities.controller';
import { NonconformitiesService } from './nonconformities.service';

/** Nonconformities and their corrective actions (ISO/IEC 42001 10.2); the service is exported for incidents. */
@Module({ controllers: [NonconformitiesController], providers: [NonconformitiesService], exports: [NonconformitiesService] })
export class NonconformitiesModule {}
