import { Module } from '@nestjs/common';
import { FormsModule } from '../forms/forms.module';
import { NonconformitiesModule } from '../nonconformities/nonconformities.module';
import { TasksModule } from '../tasks/tasks.module';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';
import { RegimesController } from './regimes.controller';

/** Incidents with their report clocks (`/incidents`) and the regulatory regimes they may name (`/regimes`). */
@Module({
  imports: [TasksModule, NonconformitiesModule, FormsModule],
  controllers: [IncidentsController, RegimesController],
  providers: [IncidentsService],
})
export class IncidentsModule {}
