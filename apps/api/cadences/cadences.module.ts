import { Module } from '@nestjs/common';
import { CadenceReconciler } from './cadence-reconciler';
import { CadencesController } from './cadences.controller';
import { CadencesService } from './cadences.service';

/**
 * Cadences as Temporal Schedules: the reconciler (exported; SystemsService calls it after
 * every inventory change) and `GET /systems/:id/cadences`, `POST /cadences/:id/trigger|pause|unpause`.
 * Needs the global TemporalModule and TypeORM's DataSource.
 */
@Module({
  controllers: [CadencesController],
  providers: [CadenceReconciler, CadencesService],
  exports: [CadenceReconciler],
})
export class CadencesModule {}
