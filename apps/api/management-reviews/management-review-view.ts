/** A management review as the API shows it: its snapshot, each decided action with its task's current state. */
import type { ManagementReviewStatus } from '../../../libs/contracts';
import type { ActionView, ManagementReviewView } from './management-reviews.dto';

/** Each decided action as the tasks read model has it now (as decided, if its row is not there). */
export function actionViews(s: ManagementReviewStatus, rows: Array<Record<string, any>>): Map<string, ActionView> {
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  const out = new Map<string, ActionView>();
  for (const d of s.decisions) {
    if (!d.action) continue;
    const r = byId.get(d.action.taskId);
    out.set(d.action.taskId, {
      taskId: d.action.taskId,
      title: d.action.title,
      ownerId: r?.owner_id ?? d.action.ownerId,
      dueAt: r ? new Date(r.due_at).toISOString() : d.action.dueAt,
      state: r?.state ?? d.action.state,
      overdue: Boolean(r?.overdue),
      escalationLevel: r ? Number(r.escalation_level) : 0,
    });
  }
  return out;
}

export function reviewView(s: ManagementReviewStatus, actions: Map<string, ActionView>): ManagementReviewView {
  return {
    reviewId: s.reviewId,
    period: s.period,
    cadenceId: s.cadenceId,
    state: s.state,
    openedAt: s.openedAt,
    ...(s.closedAt ? { closedAt: s.closedAt } : {}),
    ...(s.meetingTaskId ? { meetingTaskId: s.meetingTaskId, meetingOwnerId: s.meetingOwnerId, meetingDueAt: s.meetingDueAt } : {}),
    ...(s.pack ? { pack: s.pack as unknown as Record<string, unknown> } : {}),
    proposals: s.proposals.map((p) => ({ ...p })),
    decisions: s.decisions.map((d) => ({
      n: d.n,
      text: d.text,
      type: d.type,
      ...(d.action ? { action: actions.get(d.action.taskId)! } : {}),
    })),
    ...(s.decidedBy ? { decidedBy: s.decidedBy, decidedAt: s.decidedAt } : {}),
    ...(s.minutes ? { minutes: s.minutes } : {}),
    version: s.version,
  };
}
