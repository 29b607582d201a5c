import { Module } from '@nestjs/common';
import { InventoryRecertificationsController } from './inventory-recertifications.controller';
import { InventoryRecertificationsService } from './inventory-recertifications.service';

/** `GET /inventory-recertifications/:period`, `POST /inventory-recertifications/:period/confirm`. Needs the global TemporalModule. */
@Module({
  controllers: [InventoryRecertificationsController],
  providers: [InventoryRecertificationsService],
})
export class InventoryRecertificationsModule {}
