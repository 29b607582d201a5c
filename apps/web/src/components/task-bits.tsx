/** How a task's time and ladder read, on My work, Approvals and the task page. */
import type { LadderStep, TaskView } from '../api/types';
import { escalationLabel, ladderStepLabel, stateLabel } from '../labels';
import { dueRelative, formatInstant, relative } from '../time';
import { Badge } from './page';

/** "Mon, 12 Jan 2027, 17:00 CET (due in 3 days)", overdue work marked. */
export function Due({ task, now }: { task: Pick<TaskView, 'dueAt' | 'state'>; now: number }) {
  const open = task.state === 'open' || task.state === 'submitted';
  const overdue = open && Date.parse(task.dueAt) < now;
  return (
    <span className={overdue ? 'overdue' : undefined}>
      <time dateTime={task.dueAt}>{formatInstant(task.dueAt)}</time>
      {open && <> ({dueRelative(task.dueAt, now)})</>}
    </span>
  );
}

export function StateBadge({ task }: { task: Pick<TaskView, 'state' | 'overdue' | 'dueAt'> }) {
  const tone = task.state === 'approved' || task.state === 'completed' ? 'good' : task.state === 'cancelled' ? 'neutral' : 'info';
  return <Badge tone={tone}>{stateLabel(task.state)}</Badge>;
}

export function EscalationBadge({ level }: { level: number }) {
  return <Badge tone={level >= 2 ? 'bad' : level === 1 ? 'warn' : 'neutral'}>{escalationLabel(level)}</Badge>;
}

/** The next ladder step: "Escalation to the owner's manager on Mon, ... (in 2 days)". */
export function NextStep({ task, now }: { task: Pick<TaskView, 'nextStep' | 'ladder'>; now: number }) {
  if (!task.nextStep) return <>No further reminders</>;
  const step = task.ladder.find((s) => s.key === task.nextStep!.key);
  return (
    <>
      {step ? ladderStepLabel(step) : task.nextStep.key} on <time dateTime={task.nextStep.at}>{formatInstant(task.nextStep.at)}</time> (
      {relative(task.nextStep.at, now)})
    </>
  );
}

const STEP_STATUS: Record<LadderStep['status'], string> = { done: 'Sent', pending: 'Pending', skipped: 'Skipped' };

/** The whole ladder: what was sent, what comes next and when. */
export function Ladder({ task, now }: { task: Pick<TaskView, 'ladder' | 'nextStep'>; now: number }) {
  if (!task.ladder.length) return <p>This work has no reminders.</p>;
  return (
    <ol className="ladder">
      {task.ladder.map((s) => {
        const next = task.nextStep?.key === s.key;
        return (
          <li key={s.key} className={`ladder-step ladder-${s.status}${next ? ' ladder-next' : ''}`}>
            <span className="ladder-what">{ladderStepLabel(s)}</span>
            <span className="ladder-when">
              <time dateTime={s.at}>{formatInstant(s.at)}</time> ({relative(s.at, now)})
            </span>
            <span className="ladder-status">
              <Badge tone={s.status === 'done' ? 'good' : s.status === 'skipped' ? 'neutral' : next ? 'info' : 'neutral'}>
                {next ? 'Next' : STEP_STATUS[s.status]}
              </Badge>
              {s.status === 'done' && s.handledAt && (
                <span className="hint">
                  {' '}
                  sent <time dateTime={s.handledAt}>{formatInstant(s.handledAt)}</time>
                </span>
              )}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export function EvidenceLinks({ urls }: { urls?: string[] }) {
  if (!urls?.length) return <p>No evidence links.</p>;
  return (
    <ul className="evidence">
      {urls.map((u) => (
        <li key={u}>
          {/^https?:\/\//i.test(u) ? (
            <a href={u} target="_blank" rel="noopener noreferrer">
              {u}
            </a>
          ) : (
            u
          )}
        </li>
      ))}
    </ul>
  );
}
