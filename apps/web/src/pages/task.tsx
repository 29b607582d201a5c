/**
 * One task: what it is about, when it is due, its whole ladder, the submission form generated
 * from its kind's form (GET /forms/:kind; a kind without one takes the summary alone), the stored
 * submission read-only, approve or reject for whoever may, and its history.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, seg } from '../api/client';
import type { FormDefinition, HistoryEvent, Role, TaskView } from '../api/types';
import { errorsFor, FormError, Select, TextArea, useAction } from '../components/fields';
import { Fact, Loaded, Notice, Page } from '../components/page';
import { Due, EscalationBadge, EvidenceLinks, Ladder, NextStep, StateBadge } from '../components/task-bits';
import { initialValues, lines, SubmittedAnswers, toAnswers, WorkFormFields } from '../components/work-form';
import type { FormValues } from '../components/work-form';
import { isNotFound, nameOf, useApi, useForm, usePeople } from '../hooks';
import { kindLabel, subjectLabel, words } from '../labels';
import { Link, paths } from '../router';
import { useMe } from '../session';
import { formatInstant, useNow } from '../time';

export function mayApprove(task: TaskView, me: { id: string; role: Role }): boolean {
  if (task.state !== 'submitted' || me.id === task.ownerId || me.id === task.submittedBy) return false;
  // The task's own rule (its workflow refuses anyone else, admins included).
  return task.approverRoles.includes(me.role);
}

/** Work done elsewhere than by a submission: the task page says where. */
function doneElsewhere(task: TaskView): string | undefined {
  const recert = /^inventory-recertification:[^:]+:([^:]+)$/.exec(task.taskId);
  if (recert) return `A recertification is done by confirming each of your systems: POST /inventory-recertifications/${recert[1]}/confirm.`;
  const review = /^management-review:([^:]+):meeting$/.exec(task.taskId);
  if (review) return `The meeting is done by recording its decisions: POST /management-reviews/management-review:${review[1]}/decisions.`;
  return undefined;
}

/** What a change did, said once it is recorded (the form that made it may be gone by then). */
export function changeMessage(t: TaskView): string {
  switch (t.state) {
    case 'submitted':
      return 'Submitted: it now waits for approval.';
    case 'completed':
      return 'Submitted: the work is done.';
    case 'approved':
      return 'Approved.';
    case 'open':
      return 'Rejected: sent back to its owner for rework.';
    default:
      return `Now ${t.state}.`;
  }
}

const isEffectivenessCheck = (taskId: string) => /^corrective-action-step:[^:]+:effectiveness-check(-\d+)?$/.test(taskId);

export function TaskPage({ taskId }: { taskId: string }) {
  const task = useApi<TaskView>(`/tasks/${seg(taskId)}`);
  const form = useForm(task.data?.formKind);
  const history = useApi<{ items: HistoryEvent[] }>(`/tasks/${seg(taskId)}/history`);
  const title = task.data?.title ?? (isNotFound(task.error) ? 'Task not found' : 'Task');
  const onChanged = (t: TaskView) => {
    task.setData({ ...task.data, ...t });
    history.reload();
  };
  return (
    <Page title={title}>
      <Loaded state={task} what="the task" notFound={<p>There is no task {taskId}.</p>}>
        {(t) => <TaskBody task={t} form={form ?? undefined} formLoading={form === undefined} onChanged={onChanged} />}
      </Loaded>
      {task.data && (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">History</h2>
          <Loaded state={history} what="the history" notFound={<p>No history is available for this task.</p>}>
            {(h) => <History events={h.items} />}
          </Loaded>
        </section>
      )}
    </Page>
  );
}

/** A task, the form it is submitted with (once loaded), and what to do when it changes. */
interface TaskWithForm {
  task: TaskView;
  form?: FormDefinition;
  formLoading: boolean;
  onChanged(t: TaskView): void;
}

function TaskBody({ task, form, formLoading, onChanged }: TaskWithForm) {
  const me = useMe();
  const people = usePeople();
  const now = useNow(30_000);
  const [notice, setNotice] = useState<string | undefined>();
  const changed = (t: TaskView) => {
    setNotice(changeMessage(t));
    onChanged(t);
  };
  const open = task.state === 'open' || task.state === 'submitted';
  const incidentId =
    task.subject.type === 'incident' ? task.subject.id : /^(?:incident|regulatory)-report:([0-9a-f-]{36}):/i.exec(task.taskId)?.[1];
  return (
    <>
      <dl className="facts facts-wide">
        <Fact term="Kind">{kindLabel(task.kind)}</Fact>
        <Fact term="Subject">
          {incidentId ? <Link to={paths.incident(incidentId)}>{task.subject.name}</Link> : task.subject.name} (
          {subjectLabel(task.subject.type)})
        </Fact>
        <Fact term="State">
          <StateBadge task={task} />
        </Fact>
        <Fact term="Owner">{task.ownerId === me.id ? 'You' : nameOf(people, task.ownerId)}</Fact>
        <Fact term="Due">
          <Due task={task} now={now} />
        </Fact>
        <Fact term="Escalation">
          <EscalationBadge level={task.escalationLevel} />
        </Fact>
        {open && (
          <Fact term="Next step">
            <NextStep task={task} now={now} />
          </Fact>
        )}
        <Fact term="Opened">
          <time dateTime={task.openedAt}>{formatInstant(task.openedAt)}</time>
        </Fact>
      </dl>

      {task.lastRejection && task.state === 'open' && (
        <Notice kind="info">
          <p>
            Sent back for rework by {nameOf(people, task.lastRejection.by)} on {formatInstant(task.lastRejection.at)}: “
            {task.lastRejection.reason}”
          </p>
        </Notice>
      )}
      {task.cancellation && (
        <Notice kind="info">
          <p>
            Cancelled on {formatInstant(task.cancellation.at)}: {task.cancellation.reason}
          </p>
        </Notice>
      )}

      <section aria-labelledby="ladder-heading">
        <h2 id="ladder-heading">Reminders and escalations</h2>
        <Ladder task={task} now={now} />
      </section>

      <section aria-labelledby="submission-heading">
        <h2 id="submission-heading">Submission</h2>
        {notice && <Notice kind="success">{notice}</Notice>}
        {task.state === 'open' ? (
          <SubmitSection task={task} form={form} formLoading={formLoading} onChanged={changed} />
        ) : task.submittedAt ? (
          <StoredSubmission task={task} form={form} />
        ) : (
          <p>Nothing was submitted.</p>
        )}
      </section>

      {mayApprove(task, me) && (
        <section aria-labelledby="approval-heading">
          <h2 id="approval-heading">Approval</h2>
          <ApprovalForms task={task} onChanged={changed} />
        </section>
      )}
      {task.state === 'submitted' && !mayApprove(task, me) && (
        <p className="hint">Waiting for approval by someone other than the owner and the submitter.</p>
      )}
      {task.approvedAt && (
        <p>
          Approved by {nameOf(people, task.approvedBy)} on <time dateTime={task.approvedAt}>{formatInstant(task.approvedAt)}</time>.
        </p>
      )}
    </>
  );
}

function StoredSubmission({ task, form }: { task: TaskView; form?: FormDefinition }) {
  const people = usePeople();
  return (
    <div className="submission">
      <p>
        Submitted by {nameOf(people, task.submittedBy)} on <time dateTime={task.submittedAt}>{formatInstant(task.submittedAt)}</time>
        {task.submissions > 1 && ` (submission ${task.submissions})`}.
      </p>
      <h3>Summary</h3>
      <p className="pre">{task.summary}</p>
      {task.outcome && (
        <p>
          <strong>Outcome:</strong> {words(task.outcome)}
        </p>
      )}
      {task.submission && <SubmittedAnswers submission={task.submission} form={form} />}
      <h3>Evidence</h3>
      <EvidenceLinks urls={task.evidenceUrls} />
    </div>
  );
}

function SubmitSection({ task, form, formLoading, onChanged }: TaskWithForm) {
  const me = useMe();
  const people = usePeople();
  const elsewhere = doneElsewhere(task);
  if (elsewhere) return <p>{elsewhere}</p>;
  if (task.ownerId !== me.id) return <p>Only the owner, {nameOf(people, task.ownerId)}, can submit this work.</p>;
  if (formLoading) return <p role="status">Loading the form…</p>;
  return <SubmitForm key={form ? `${form.kind}@${form.version}` : 'summary'} task={task} form={form} onChanged={onChanged} />;
}

function SubmitForm({ task, form, onChanged }: { task: TaskView; form?: FormDefinition; onChanged(t: TaskView): void }) {
  const [values, setValues] = useState<FormValues>(() => initialValues(form));
  const [summary, setSummary] = useState('');
  const [evidence, setEvidence] = useState('');
  const [outcome, setOutcome] = useState('');
  const action = useAction();
  // An effectiveness check's outcome: a field of its form when it has one, else a field of its own.
  const outcomeInForm = !!form?.fields.some((f) => f.name === 'outcome');
  const effectiveness = isEffectivenessCheck(task.taskId) && !outcomeInForm;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const urls = lines(evidence);
    const body = {
      summary: summary.trim(),
      ...(urls.length ? { evidenceUrls: urls } : {}),
      ...(form ? { answers: toAnswers(form, values) } : {}),
      ...(effectiveness && outcome ? { outcome } : {}),
      // The API takes the outcome beside the answers too: the corrective action reads it there.
      ...(outcomeInForm && typeof values.outcome === 'string' && values.outcome ? { outcome: values.outcome } : {}),
    };
    const t = await action.run(() => api.post<TaskView>(`/tasks/${seg(task.taskId)}/submit`, body));
    if (t) {
      onChanged(t);
    }
  };
  const shown = ['summary', 'evidenceUrls', 'outcome', ...(form ? form.fields.map((f) => `answers.${f.name}`) : [])];
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="submit-heading" className="stack">
      <h3 id="submit-heading">Submit your work</h3>
      {form && <WorkFormFields form={form} values={values} onChange={setValues} errors={action.fieldErrors} />}
      <TextArea
        label="Summary"
        hint="What was done and what it found: the outcome, in a few sentences."
        value={summary}
        onChange={setSummary}
        required
        rows={5}
        maxLength={10000}
        errors={errorsFor(action.fieldErrors, 'summary')}
      />
      <TextArea
        label="Evidence links"
        hint="One http(s) link per line (reports, tickets, documents), up to 20."
        value={evidence}
        onChange={setEvidence}
        rows={3}
        errors={errorsFor(action.fieldErrors, 'evidenceUrls')}
      />
      {effectiveness && (
        <Select
          label="Outcome"
          hint="Was the corrective action effective?"
          value={outcome}
          onChange={setOutcome}
          required
          placeholder="Choose…"
          options={[
            { value: 'effective', label: 'Effective' },
            { value: 'not_effective', label: 'Not effective' },
          ]}
          errors={errorsFor(action.fieldErrors, 'outcome')}
        />
      )}
      <FormError error={action.error} shown={shown} />
      <button type="submit" disabled={action.busy}>
        Submit
      </button>
    </form>
  );
}

/** Approve (a comment optional) or reject (a reason required): on the task page and on Approvals. */
export function ApprovalForms({ task, onChanged, compact }: { task: TaskView; onChanged(t: TaskView): void; compact?: boolean }) {
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const approve = useAction();
  const reject = useAction();
  const approveNow = async (e: FormEvent) => {
    e.preventDefault();
    const t = await approve.run(() =>
      api.post<TaskView>(`/tasks/${seg(task.taskId)}/approve`, comment.trim() ? { comment: comment.trim() } : {}),
    );
    if (t) onChanged(t);
  };
  const rejectNow = async (e: FormEvent) => {
    e.preventDefault();
    const t = await reject.run(() => api.post<TaskView>(`/tasks/${seg(task.taskId)}/reject`, { reason: reason.trim() }));
    if (t) onChanged(t);
  };
  return (
    <div className={`approval${compact ? ' approval-compact' : ''}`}>
      <form onSubmit={(e) => void approveNow(e)} noValidate className="stack">
        <TextArea
          label="Comment (optional)"
          value={comment}
          onChange={setComment}
          rows={2}
          maxLength={10000}
          errors={errorsFor(approve.fieldErrors, 'comment')}
        />
        <FormError error={approve.error} shown={['comment']} />
        <button type="submit" disabled={approve.busy || reject.busy}>
          Approve
        </button>
      </form>
      <form onSubmit={(e) => void rejectNow(e)} noValidate className="stack">
        <TextArea
          label="Reason for rejection"
          hint="What must change: the work goes back to its owner for rework."
          value={reason}
          onChange={setReason}
          rows={2}
          required
          maxLength={10000}
          errors={errorsFor(reject.fieldErrors, 'reason')}
        />
        <FormError error={reject.error} shown={['reason']} />
        <button type="submit" className="button-danger" disabled={approve.busy || reject.busy}>
          Reject
        </button>
      </form>
    </div>
  );
}

const DETAIL_KEYS = ['summary', 'reason', 'comment', 'note', 'step', 'level', 'newDueAt', 'newOwnerId', 'outcome'];

function History({ events }: { events: HistoryEvent[] }) {
  const people = usePeople();
  if (!events.length) return <p>No events yet.</p>;
  return (
    <ol className="history">
      {events.map((e, i) => {
        const details = DETAIL_KEYS.filter((k) => e.detail && typeof e.detail[k] !== 'object' && e.detail[k] !== undefined);
        return (
          <li key={`${e.at}-${i}`}>
            <p>
              <strong>{words(e.event)}</strong> · <time dateTime={e.at}>{formatInstant(e.at)}</time>
              {e.actorId && <> · {e.actorName ?? nameOf(people, e.actorId)}</>}
            </p>
            {details.length > 0 && (
              <ul className="history-detail">
                {details.map((k) => (
                  <li key={k}>
                    {words(k)}: {k === 'newDueAt' ? formatInstant(String(e.detail![k])) : String(e.detail![k])}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}
