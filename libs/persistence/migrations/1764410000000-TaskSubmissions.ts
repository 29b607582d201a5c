import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Structured submissions (issue 10): an audit finding's answers to the audit-finding form get a
 * column (a task's submission lives in its `status` snapshot), and the task rows recorded before
 * `approverRoles` was in the snapshot get it, so GET /tasks/awaiting-approval finds work already
 * waiting for approval. The roles are those each kind's tasks were opened with (libs/contracts
 * task-inputs.ts, policies.ts, workflows/management-review.ts), written out: a migration does not
 * follow later code. The workflow's next snapshot of a task writes its own, the same.
 */
export class TaskSubmissions1764410000000 implements MigrationInterface {
  name = 'TaskSubmissions1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_findings ADD COLUMN submission jsonb NULL`);
    await q.query(`
      UPDATE tasks SET status = jsonb_set(status, '{approverRoles}', CASE kind
          WHEN 'high-risk-review' THEN '["governance_lead", "management", "owner", "admin"]'::jsonb
          WHEN 'aiia' THEN '["governance_lead"]'::jsonb
          WHEN 'policy-review' THEN '["governance_lead", "management", "admin"]'::jsonb
          WHEN 'management-review-action' THEN '["management", "governance_lead", "admin"]'::jsonb
          ELSE '[]'::jsonb END)
       WHERE status->'approverRoles' IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    // approverRoles stays in the snapshots: older code ignores it.
    await q.query(`ALTER TABLE audit_findings DROP COLUMN submission`);
  }
}
