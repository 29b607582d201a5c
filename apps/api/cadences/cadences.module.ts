import { Module } from '@nestjs/common';
import { CadenceReconciler } from './cadence-reconciler';
import { CadencesController } from './cadences.controller';
import { CadencesService } from './cadences.service';
import { OrgCadenceReconciler } from './org-cadences';

/**
 * Cadences as Temporal Schedules: the reconciler (exported; SystemsService calls it after
 * every inventory change), the org-wide Schedules' start-up pass, `GET /cadences`,
 * `GET /systems/:id/cadences`, `PATCH /cadences/:id`, `POST /cadences/:id/trigger|pause|unpause`.
 * Needs the global TemporalModule and TypeORM's DataSource.
 */
@Module({
  controllers: [CadencesController],
  providers: [CadenceReconciler, OrgCadenceReconciler, CadencesService],
  exports: [CadenceReconciler],
})
export class CadencesModule {}
