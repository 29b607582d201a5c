import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { SignInService } from './sign-in.service';

/** Authentication for every route (APP_GUARD: bearer token or session cookie), roles, sign-in, and the bootstrap admin. */
@Global()
@Module({
  controllers: [AuthController],
  providers: [AuthService, SignInService, BootstrapAdminService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
