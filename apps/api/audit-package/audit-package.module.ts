import { Module } from '@nestjs/common';
import { AuditPackageController } from './audit-package.controller';
import { AuditPackageService } from './audit-package.service';

/** The audit package an auditor takes away and checks offline. */
@Module({ controllers: [AuditPackageController], providers: [AuditPackageService] })
export class AuditPackageModule {}
