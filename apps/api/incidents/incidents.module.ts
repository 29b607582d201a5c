import { Module } from '@nestjs/common';
import { NonconformitiesModule } from '../nonconformities/nonconformities.module';
import { TasksModule } from '../tasks/tasks.module';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';
import { RegimesController } from './regimes.controller';

/** Incidents with their report clocks (`/incidents`) and the regulatory regimes they may name (`/regimes`). */
@Module({
  imports: [TasksModule, NonconformitiesModule],
  controllers: [IncidentsController, RegimesController],
  providers: [IncidentsService],
})
export class IncidentsModule {}
