import { Module } from '@nestjs/common';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';

/** What management and auditors look at: `GET /status/cycles`, `GET /status/overdue`, from the task read model. */
@Module({
  controllers: [StatusController],
  providers: [StatusService],
})
export class StatusModule {}
