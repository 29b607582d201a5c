/**
 * The management review's activities (ISO/IEC 42001 9.3): compile a review's pack, record its
 * snapshot, tell which named owners are not active. Over PostgreSQL: libs/persistence
 * management-reviews.ts; in the workflow tests: an in-memory fake.
 */
import type {
  CompileReviewPackInput,
  ManagementReviewActivities,
  ManagementReviewPack,
  ManagementReviewStatus,
  RecordCaseInput,
} from '../libs/contracts';

export interface ManagementReviewPort {
  /** The pack's inputs as the records stand at `input.at` (reads only: a retry reads again). */
  compilePack(input: CompileReviewPackInput): Promise<ManagementReviewPack>;
  /** In ONE transaction: upsert the review's row if the snapshot is newer, append its audit event (keyed by version and event). */
  record(input: RecordCaseInput<ManagementReviewStatus>): Promise<void>;
  /** Of these person ids, those that are unknown or deactivated. */
  inactivePeople(personIds: string[]): Promise<string[]>;
}

export function createManagementReviewActivities(port: ManagementReviewPort): ManagementReviewActivities {
  return {
    compileManagementReviewPack: (input) => port.compilePack(input),
    recordManagementReview: (input) => port.record(input),
    loadInactivePeople: (ids) => port.inactivePeople(ids),
  };
}
