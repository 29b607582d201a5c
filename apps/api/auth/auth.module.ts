import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { BootstrapAdminService } from './bootstrap-admin.service';

/** Bearer-token authentication for every route (APP_GUARD), roles, and the bootstrap admin. */
@Global()
@Module({
  providers: [AuthService, BootstrapAdminService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
