import { Module } from '@nestjs/common';
import { FormsController } from './forms.controller';
import { FormsService } from './forms.service';

/** `GET /forms`, `GET /forms/:kind`, and the check of submitted answers the task, incident and audit routes share. */
@Module({
  controllers: [FormsController],
  providers: [FormsService],
  exports: [FormsService],
})
export class FormsModule {}
