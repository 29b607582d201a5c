import { Module } from '@nestjs/common';
import { SoaController } from './soa.controller';
import { SoaService } from './soa.service';

/** The Statement of Applicability over ISO/IEC 42001 Annex A. */
@Module({ controllers: [SoaController], providers: [SoaService], exports: [SoaService] })
export class SoaModule {}
