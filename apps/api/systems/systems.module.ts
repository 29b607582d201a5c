import { Module } from '@nestjs/common';
import { CadencesModule } from '../cadences/cadences.module';
import { ImportsController } from './imports.controller';
import { SystemsController } from './systems.controller';
import { SystemImportRunner } from './systems-import.runner';
import { SystemsImportService } from './systems-import.service';
import { SystemsService } from './systems.service';

@Module({
  imports: [CadencesModule],
  controllers: [SystemsController, ImportsController],
  providers: [SystemsService, SystemsImportService, SystemImportRunner],
  exports: [SystemsService],
})
export class SystemsModule {}
