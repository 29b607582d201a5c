/**
 * Incidents: the open ones with every clock counting down live, breached ones first (most
 * overdue first, then the nearest deadline); and a form to open a new incident.
 */
import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { may } from '../access';
import { api, query } from '../api/client';
import type { IncidentView, Page as ApiPage, PersonView, RegimeView, SystemView } from '../api/types';
import { INCIDENT_SEVERITIES } from '../api/types';
import { byUrgency, ClockList, isBreached } from '../components/clocks';
import { ChoiceGroup, errorsFor, FormError, Select, TextArea, TextInput, useAction } from '../components/fields';
import { Badge, Loaded, Page } from '../components/page';
import { getAll, useApi } from '../hooks';
import { words } from '../labels';
import { Link, navigate, paths, useLocation } from '../router';
import { useMe } from '../session';
import { formatInstant, localInputToInstant, nowLocalInput, useNow } from '../time';

export function SeverityBadge({ severity }: { severity: string }) {
  const tone = severity === 'critical' || severity === 'high' ? 'bad' : severity === 'medium' ? 'warn' : 'neutral';
  return <Badge tone={tone}>Severity: {severity}</Badge>;
}

export function IncidentsPage() {
  const me = useMe();
  const { search } = useLocation();
  const closed = search.get('state') === 'closed';
  const list = useApi<ApiPage<IncidentView>>(`/incidents${query({ state: closed ? 'closed' : 'open', limit: 200 })}`);
  return (
    <Page
      title="Incidents"
      lead={
        <p>
          {closed ? 'Closed incidents.' : 'Open incidents, breached first. Every clock counts down to its report deadline.'}{' '}
          <Link to={closed ? paths.incidents : `${paths.incidents}?state=closed`}>
            {closed ? 'Show open incidents' : 'Show closed incidents'}
          </Link>
        </p>
      }
    >
      <section aria-labelledby="incident-list">
        <h2 id="incident-list">{closed ? 'Closed incidents' : 'Open incidents'}</h2>
        <Loaded state={list} what="the incidents">
          {(page) => <IncidentList incidents={page.items} label={closed ? 'Closed incidents' : 'Open incidents'} />}
        </Loaded>
      </section>
      {may(me.role, 'openIncident') && <OpenIncidentForm />}
    </Page>
  );
}

/** The list and its clocks, re-rendered every second (the page's one timer; the form below keeps still). */
function IncidentList({ incidents, label }: { incidents: IncidentView[]; label: string }) {
  const now = useNow(1000);
  const items = [...incidents].sort(byUrgency(now));
  if (!items.length) return <p className="empty">No {label.toLowerCase()}.</p>;
  return (
    <ul className="cards" aria-label={label}>
      {items.map((i) => (
        <li key={i.incidentId}>
          <IncidentCard incident={i} now={now} />
        </li>
      ))}
    </ul>
  );
}

function IncidentCard({ incident: i, now }: { incident: IncidentView; now: number }) {
  const id = `incident-${i.incidentId}`;
  const breached = i.state === 'open' && isBreached(i, now);
  return (
    <article className={`card incident-card${breached ? ' is-breached' : ''}`} aria-labelledby={id}>
      <h3 id={id}>
        <Link to={paths.incident(i.incidentId)}>{i.title}</Link>
      </h3>
      <p className="meta">
        {i.system.name} · detected <time dateTime={i.detectedAt}>{formatInstant(i.detectedAt)}</time>{' '}
        <SeverityBadge severity={i.severity} />
        {breached && <Badge tone="bad">Breached</Badge>}
        {i.acknowledgedAt ? <Badge tone="good">Acknowledged</Badge> : i.state === 'open' && <Badge tone="warn">Not acknowledged</Badge>}
      </p>
      <ClockList incident={i} now={now} />
    </article>
  );
}

function OpenIncidentForm() {
  const me = useMe();
  const [systems, setSystems] = useState<SystemView[]>([]);
  const [people, setPeople] = useState<PersonView[]>([]);
  const regimes = useApi<RegimeView[]>('/regimes');
  const [loadError, setLoadError] = useState<unknown>();
  useEffect(() => {
    Promise.all([getAll<SystemView>('/systems'), getAll<PersonView>('/people')])
      .then(([s, p]) => {
        setSystems(s.filter((x) => x.lifecycleStage !== 'retirement'));
        setPeople(p.filter((x) => x.active));
      })
      .catch(setLoadError);
  }, []);
  const [v, setV] = useState({
    systemId: '',
    title: '',
    description: '',
    severity: 'medium',
    detectedAt: nowLocalInput(),
    awareAt: '',
    responderId: me.role === 'responder' ? me.id : '',
    regimes: [] as string[],
  });
  const set = (k: keyof typeof v) => (x: string | string[]) => setV((o) => ({ ...o, [k]: x }));
  const action = useAction();
  const responders = useMemo(
    () => [...people].sort((a, b) => Number(b.role === 'responder') - Number(a.role === 'responder') || a.name.localeCompare(b.name)),
    [people],
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      systemId: v.systemId,
      title: v.title.trim(),
      description: v.description.trim(),
      severity: v.severity,
      detectedAt: localInputToInstant(v.detectedAt) ?? v.detectedAt,
      ...(v.awareAt ? { awareAt: localInputToInstant(v.awareAt) ?? v.awareAt } : {}),
      responderId: v.responderId,
      ...(v.regimes.length ? { regimes: v.regimes.map((id) => ({ id })) } : {}),
    };
    const created = await action.run(() => api.post<IncidentView>('/incidents', body));
    if (created) navigate(paths.incident(created.incidentId));
  };
  const fe = action.fieldErrors;
  return (
    <section aria-labelledby="open-incident" className="card">
      <h2 id="open-incident">Open an incident</h2>
      <p className="hint">The 72-hour report clock, and each regulatory regime’s, start at the detection time.</p>
      {loadError !== undefined && <FormError error={loadError} />}
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <Select
          label="AI system"
          value={v.systemId}
          onChange={set('systemId')}
          required
          placeholder="Choose a system…"
          options={systems.map((s) => ({ value: s.id, label: s.name }))}
          errors={errorsFor(fe, 'systemId')}
        />
        <TextInput
          label="Title"
          hint="What happened, in a line."
          value={v.title}
          onChange={set('title')}
          required
          maxLength={300}
          errors={errorsFor(fe, 'title')}
        />
        <TextArea
          label="Description"
          hint="What happened, who is affected, what is known so far."
          value={v.description}
          onChange={set('description')}
          required
          errors={errorsFor(fe, 'description')}
        />
        <Select
          label="Severity"
          value={v.severity}
          onChange={set('severity')}
          required
          options={INCIDENT_SEVERITIES.map((s) => ({ value: s, label: words(s) }))}
          errors={errorsFor(fe, 'severity')}
        />
        <TextInput
          label="Detected at"
          hint="Your local time. Never in the future."
          type="datetime-local"
          value={v.detectedAt}
          onChange={set('detectedAt')}
          required
          errors={errorsFor(fe, 'detectedAt')}
        />
        <TextInput
          label="Aware at (optional)"
          hint="When the organisation became aware, if later than detection (your local time)."
          type="datetime-local"
          value={v.awareAt}
          onChange={set('awareAt')}
          errors={errorsFor(fe, 'awareAt')}
        />
        <Select
          label="Responder"
          hint="Owns every report of the incident."
          value={v.responderId}
          onChange={set('responderId')}
          required
          placeholder="Choose a person…"
          options={responders.map((p) => ({ value: p.id, label: `${p.name}${p.role === 'responder' ? ' (responder)' : ''}` }))}
          errors={errorsFor(fe, 'responderId')}
        />
        {regimes.data && regimes.data.length > 0 && (
          <ChoiceGroup
            legend="Regulatory regimes that apply"
            hint="Each adds its own report clocks (its default variant; change it on the incident's page)."
            options={regimes.data.map((r) => ({ value: r.id, label: `${r.name} (${r.authority})` }))}
            multiple
            value={v.regimes}
            onChange={set('regimes')}
            errors={errorsFor(fe, 'regimes')}
          />
        )}
        <FormError
          error={action.error}
          shown={['systemId', 'title', 'description', 'severity', 'detectedAt', 'awareAt', 'responderId', 'regimes']}
        />
        <button type="submit" disabled={action.busy}>
          Open incident
        </button>
      </form>
    </section>
  );
}
