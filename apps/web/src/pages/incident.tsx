/**
 * One incident: its clocks counting down, its reports (each filed on its task's page), and the
 * actions of apps/api/incidents: acknowledge, severity, containment, regimes and their variants,
 * close. Only the responder, a governance lead or an admin acts (the API refuses anyone else).
 */
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { api, seg } from '../api/client';
import type { IncidentView, RegimeView } from '../api/types';
import { INCIDENT_SEVERITIES } from '../api/types';
import { ClockList, isBreached } from '../components/clocks';
import { errorsFor, FormError, Select, TextArea, TextInput, useAction } from '../components/fields';
import { Badge, Fact, Loaded, Notice, Page } from '../components/page';
import { isNotFound, nameOf, useApi, usePeople } from '../hooks';
import { words } from '../labels';
import { Link, paths } from '../router';
import { useMe } from '../session';
import { formatInstant, localInputToInstant, useNow } from '../time';
import { SeverityBadge } from './incidents';

export function IncidentPage({ incidentId }: { incidentId: string }) {
  const incident = useApi<IncidentView>(`/incidents/${seg(incidentId)}`);
  const title = incident.data?.title ?? (isNotFound(incident.error) ? 'Incident not found' : 'Incident');
  return (
    <Page title={title}>
      <p>
        <Link to={paths.incidents}>All incidents</Link>
      </p>
      <Loaded state={incident} what="the incident" notFound={<p>There is no incident {incidentId}.</p>}>
        {(i) => <IncidentBody incident={i} onChanged={incident.setData} />}
      </Loaded>
    </Page>
  );
}

function IncidentBody({ incident: i, onChanged }: { incident: IncidentView; onChanged(i: IncidentView): void }) {
  const me = useMe();
  const people = usePeople();
  const mayAct = i.state === 'open' && (me.id === i.responderId || me.role === 'governance_lead' || me.role === 'admin');
  const [done, setDone] = useState<string | undefined>();
  const changed = (what: string) => (next: IncidentView) => {
    onChanged(next);
    setDone(what);
  };
  return (
    <>
      <p className="meta">
        <SeverityBadge severity={i.severity} /> {i.state === 'open' && <LiveBreached incident={i} />}{' '}
        <Badge tone={i.state === 'open' ? 'info' : 'neutral'}>{words(i.state)}</Badge>
      </p>
      <dl className="facts facts-wide">
        <Fact term="AI system">{i.system.name}</Fact>
        <Fact term="Detected">
          <time dateTime={i.detectedAt}>{formatInstant(i.detectedAt)}</time>
        </Fact>
        {i.awareAt && (
          <Fact term="Aware">
            <time dateTime={i.awareAt}>{formatInstant(i.awareAt)}</time>
          </Fact>
        )}
        <Fact term="Responder">{i.responderId === me.id ? 'You' : nameOf(people, i.responderId)}</Fact>
        <Fact term="Acknowledged">
          {i.acknowledgedAt ? (
            <>
              <time dateTime={i.acknowledgedAt}>{formatInstant(i.acknowledgedAt)}</time> by {nameOf(people, i.acknowledgedBy)}
            </>
          ) : (
            'Not yet'
          )}
        </Fact>
        <Fact term="Contained">
          {i.containment ? (
            <>
              <time dateTime={i.containment.at}>{formatInstant(i.containment.at)}</time>: {i.containment.summary}
            </>
          ) : (
            'Not yet'
          )}
        </Fact>
        {i.closedAt && (
          <Fact term="Closed">
            <time dateTime={i.closedAt}>{formatInstant(i.closedAt)}</time>: {i.closingSummary}
          </Fact>
        )}
      </dl>
      <section aria-labelledby="what-happened">
        <h2 id="what-happened">What happened</h2>
        <p className="pre">{i.description}</p>
      </section>

      <section aria-labelledby="clocks-heading">
        <h2 id="clocks-heading">Report clocks</h2>
        <LiveClockList
          incident={i}
          links={(c) => (
            <Link to={paths.task(c.taskId)} className="clock-link">
              {c.state === 'in' ? 'Read the report' : me.id === i.responderId ? 'File the report' : 'Open the report'}
              <span className="visually-hidden">: {c.label}</span>
            </Link>
          )}
        />
      </section>

      <section aria-labelledby="regimes-heading">
        <h2 id="regimes-heading">Regulatory regimes</h2>
        {i.regimes.length ? (
          <ul>
            {i.regimes.map((r) => (
              <li key={r.id}>
                {r.id}
                {r.variant && ` (${r.variant})`}
              </li>
            ))}
          </ul>
        ) : (
          <p>None apply so far.</p>
        )}
      </section>

      {i.severityChanges.length > 0 && (
        <section aria-labelledby="severity-history">
          <h2 id="severity-history">Severity changes</h2>
          <ul>
            {i.severityChanges.map((c) => (
              <li key={c.at}>
                <time dateTime={c.at}>{formatInstant(c.at)}</time>: {c.from} to {c.to} by {nameOf(people, c.by)}: {c.reason}
              </li>
            ))}
          </ul>
        </section>
      )}

      {mayAct && (
        <section aria-labelledby="actions-heading">
          <h2 id="actions-heading">Actions</h2>
          {done && <Notice kind="success">{done}</Notice>}
          <div className="action-grid">
            {!i.acknowledgedAt && (
              <TextAction
                incident={i}
                onDone={changed('Acknowledged.')}
                action="acknowledge"
                field="note"
                title="Acknowledge"
                button="Acknowledge"
                label="Note (optional)"
                required={false}
                rows={2}
              />
            )}
            {!i.containment && (
              <TextAction
                incident={i}
                onDone={changed('Containment recorded.')}
                action="containment"
                field="summary"
                title="Record containment"
                button="Record containment"
                label="How it was contained"
                required
              />
            )}
            <Severity incident={i} onDone={changed('Severity changed.')} />
            <RegimeActions incident={i} onDone={changed} />
            <TextAction
              incident={i}
              onDone={changed('Incident closed.')}
              action="close"
              field="summary"
              title="Close the incident"
              button="Close incident"
              label="How it ended; lessons learned"
              required
              danger
              hint="Refused until containment is recorded and every report is in."
            />
          </div>
        </section>
      )}
    </>
  );
}

/** The badge, flipping live when a deadline passes. */
function LiveBreached({ incident }: { incident: IncidentView }) {
  const now = useNow(1000);
  return isBreached(incident, now) ? <Badge tone="bad">Breached</Badge> : null;
}

/** The clocks with the page's one timer, so the action forms do not re-render every second. */
function LiveClockList(props: Omit<Parameters<typeof ClockList>[0], 'now'>) {
  const now = useNow(1000);
  return <ClockList {...props} now={now} />;
}

/** One action's form: a heading, its fields, the refusal, its button. */
function ActionForm({
  title,
  button,
  busy,
  error,
  shown,
  onSubmit,
  children,
  danger,
}: {
  title: string;
  button: string;
  busy: boolean;
  error: unknown;
  shown: string[];
  onSubmit(): void;
  children?: ReactNode;
  danger?: boolean;
}) {
  const id = `action-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <form
      className="card stack"
      aria-labelledby={id}
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h3 id={id}>{title}</h3>
      {children}
      <FormError error={error} shown={shown} />
      <button type="submit" disabled={busy} className={danger ? 'button-danger' : undefined}>
        {button}
      </button>
    </form>
  );
}

type Done = (i: IncidentView) => void;
const path = (i: IncidentView, action: string) => `/incidents/${seg(i.incidentId)}/${action}`;

/** An action that takes one text (a note, a summary): acknowledge, containment, close. */
function TextAction(props: {
  incident: IncidentView;
  onDone: Done;
  action: 'acknowledge' | 'containment' | 'close';
  field: 'note' | 'summary';
  title: string;
  button: string;
  label: string;
  required: boolean;
  danger?: boolean;
  hint?: string;
  rows?: number;
}) {
  const [text, setText] = useState('');
  const a = useAction();
  const value = text.trim();
  return (
    <ActionForm
      title={props.title}
      button={props.button}
      danger={props.danger}
      {...a}
      shown={[props.field]}
      onSubmit={() =>
        void a
          .run(() => api.post<IncidentView>(path(props.incident, props.action), value || props.required ? { [props.field]: value } : {}))
          .then((r) => r && props.onDone(r))
      }
    >
      {props.hint && <p className="hint">{props.hint}</p>}
      <TextArea
        label={props.label}
        value={text}
        onChange={setText}
        required={props.required}
        rows={props.rows}
        errors={errorsFor(a.fieldErrors, props.field)}
      />
    </ActionForm>
  );
}

function Severity({ incident, onDone }: { incident: IncidentView; onDone: Done }) {
  const [severity, setSeverity] = useState<string>(incident.severity);
  const [reason, setReason] = useState('');
  const a = useAction();
  return (
    <ActionForm
      title="Change severity"
      button="Change severity"
      {...a}
      shown={['severity', 'reason']}
      onSubmit={() =>
        void a
          .run(() => api.post<IncidentView>(path(incident, 'severity'), { severity, reason: reason.trim() }))
          .then((r) => r && onDone(r))
      }
    >
      <Select
        label="New severity"
        value={severity}
        onChange={setSeverity}
        required
        options={INCIDENT_SEVERITIES.map((s) => ({ value: s, label: words(s) }))}
        errors={errorsFor(a.fieldErrors, 'severity')}
      />
      <TextArea
        label="Reason for the change"
        value={reason}
        onChange={setReason}
        required
        rows={2}
        errors={errorsFor(a.fieldErrors, 'reason')}
      />
    </ActionForm>
  );
}

function RegimeActions({ incident, onDone }: { incident: IncidentView; onDone(what: string): Done }) {
  const catalog = useApi<RegimeView[]>('/regimes');
  if (!catalog.data) return null;
  const applied = new Set(incident.regimes.map((r) => r.id));
  return (
    <>
      {catalog.data.some((r) => !applied.has(r.id)) && (
        <AddRegime
          incident={incident}
          regimes={catalog.data.filter((r) => !applied.has(r.id))}
          onDone={onDone('Regime added: its clocks run.')}
        />
      )}
      {incident.regimes.length > 0 && (
        <ChangeVariant
          incident={incident}
          regimes={catalog.data.filter((r) => applied.has(r.id))}
          onDone={onDone("Regime variant changed: its reports' deadlines moved.")}
        />
      )}
    </>
  );
}

function variantOptions(r: RegimeView | undefined) {
  return (r?.variants ?? []).map((v) => ({ value: v.id, label: v.label }));
}

function AddRegime({ incident, regimes, onDone }: { incident: IncidentView; regimes: RegimeView[]; onDone: Done }) {
  const [id, setId] = useState('');
  const [variant, setVariant] = useState('');
  const [awareAt, setAwareAt] = useState('');
  const a = useAction();
  const regime = regimes.find((r) => r.id === id);
  const body = () => ({
    id,
    ...(variant ? { variant } : {}),
    ...(awareAt ? { awareAt: localInputToInstant(awareAt) ?? awareAt } : {}),
  });
  return (
    <ActionForm
      title="Add a regime"
      button="Add regime"
      {...a}
      shown={['id', 'variant', 'awareAt']}
      onSubmit={() => void a.run(() => api.post<IncidentView>(path(incident, 'regimes'), body())).then((r) => r && onDone(r))}
    >
      <Select
        label="Regime"
        value={id}
        onChange={(x) => {
          setId(x);
          setVariant('');
        }}
        required
        placeholder="Choose a regime…"
        options={regimes.map((r) => ({ value: r.id, label: `${r.name} (${r.authority})` }))}
        errors={errorsFor(a.fieldErrors, 'id')}
      />
      {regime && (
        <Select
          label="Variant"
          value={variant}
          onChange={setVariant}
          placeholder={`Default (${regime.variants.find((v) => v.id === regime.defaultVariant)?.label ?? regime.defaultVariant})`}
          options={variantOptions(regime)}
          errors={errorsFor(a.fieldErrors, 'variant')}
        />
      )}
      <TextInput
        label="Aware at for this regime (optional)"
        hint="Your local time; the incident's awareness when empty."
        type="datetime-local"
        value={awareAt}
        onChange={setAwareAt}
        errors={errorsFor(a.fieldErrors, 'awareAt')}
      />
    </ActionForm>
  );
}

function ChangeVariant({ incident, regimes, onDone }: { incident: IncidentView; regimes: RegimeView[]; onDone: Done }) {
  const [id, setId] = useState(regimes[0]?.id ?? '');
  const [variant, setVariant] = useState('');
  const [reason, setReason] = useState('');
  const a = useAction();
  const regime = regimes.find((r) => r.id === id);
  return (
    <ActionForm
      title="Change a regime's variant"
      button="Change variant"
      {...a}
      shown={['id', 'variant', 'reason']}
      onSubmit={() =>
        void a
          .run(() => api.post<IncidentView>(path(incident, 'regime-variant'), { id, variant, reason: reason.trim() }))
          .then((r) => r && onDone(r))
      }
    >
      <Select
        label="Regime to change"
        value={id}
        onChange={(x) => {
          setId(x);
          setVariant('');
        }}
        required
        options={regimes.map((r) => ({ value: r.id, label: r.name }))}
        errors={errorsFor(a.fieldErrors, 'id')}
      />
      <Select
        label="New variant"
        value={variant}
        onChange={setVariant}
        required
        placeholder="Choose…"
        options={variantOptions(regime)}
        errors={errorsFor(a.fieldErrors, 'variant')}
      />
      <TextArea
        label="Reason for the new variant"
        value={reason}
        onChange={setReason}
        required
        rows={2}
        errors={errorsFor(a.fieldErrors, 'reason')}
      />
    </ActionForm>
  );
}
