import { Module } from '@nestjs/common';
import { CadencesModule } from '../cadences/cadences.module';
import { SystemsController } from './systems.controller';
import { SystemsService } from './systems.service';

@Module({ imports: [CadencesModule], controllers: [SystemsController], providers: [SystemsService], exports: [SystemsService] })
export class SystemsModule {}
