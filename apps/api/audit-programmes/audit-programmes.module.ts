import { Module } from '@nestjs/common';
import { FormsModule } from '../forms/forms.module';
import { AimsClausesController } from './aims-clauses.controller';
import { AuditProgrammesController } from './audit-programmes.controller';
import { AuditProgrammesService } from './audit-programmes.service';
import { AimsClausesService } from './aims-clauses.service';

/** The internal audit programme (ISO/IEC 42001 9.2): `/audit-programmes`, and the clause register its independence rule reads (`/aims-clauses`). */
@Module({
  imports: [FormsModule],
  controllers: [AuditProgrammesController, AimsClausesController],
  providers: [AuditProgrammesService, AimsClausesService],
  exports: [AuditProgrammesService],
})
export class AuditProgrammesModule {}
