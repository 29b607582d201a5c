import { Module } from '@nestjs/common';
import { ManagementReviewsController } from './management-reviews.controller';
import { ManagementReviewsService } from './management-reviews.service';

/** The management reviews (ISO/IEC 42001 9.3): `/management-reviews`. */
@Module({
  controllers: [ManagementReviewsController],
  providers: [ManagementReviewsService],
})
export class ManagementReviewsModule {}
