import { Module } from '@nestjs/common';
import { FormsModule } from '../forms/forms.module';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** Owned work: `GET /tasks`, `GET /tasks/:id` from the read model; submit/approve/reject/reassign/extend as Updates of governanceTask. */
@Module({
  imports: [FormsModule],
  controllers: [TasksController],
  providers: [TasksService],
  exports: [TasksService],
})
export class TasksModule {}
