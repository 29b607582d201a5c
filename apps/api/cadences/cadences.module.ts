import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CadenceReconciler } from './cadence-reconciler';
import { CadencesController } from './cadences.controller';
import { CadencesService } from './cadences.service';

/**
 * Cadences as Temporal Schedules: the reconciler (exported; SystemsService calls it after
 * every inventory change) and `GET /systems/:id/cadences`, `POST /cadences/:id/trigger|pause|unpause`.
 * Needs the global TemporalModule and TypeORM's DataSource.
 */
@Module({
  imports: [ConfigModule],
  controllers: [CadencesController],
  providers: [CadenceReconciler, CadencesService],
  exports: [CadenceReconciler],
})
export class CadencesModule {}
