/**
 * Inventory and cadences: every AI system with its tier, owner, lifecycle and next runs, and
 * every cadence (org-wide first) with its next run times; governance leads trigger, pause and
 * unpause, and the page says what each did.
 */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { may } from '../access';
import { api, query, reasonOf, seg } from '../api/client';
import type { CadenceList, CadenceView, SystemView, TriggerResult } from '../api/types';
import { Badge, LoadError, Loading, Notice, Page, TableScroll } from '../components/page';
import { getAll, nameOf, usePeople } from '../hooks';
import { kindLabel, words } from '../labels';
import { Link, paths } from '../router';
import { useMe } from '../session';
import { formatDate, formatInstant, relative, useNow } from '../time';

/** Every cadence: the org-wide ones come on the first page, then the per-system ones by cursor. */
async function allCadences(): Promise<CadenceView[]> {
  const out: CadenceView[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await api.get<CadenceList>(`/cadences${query({ limit: 200, cursor })}`);
    out.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

const TIER_TONE: Record<string, 'bad' | 'warn' | 'info' | 'neutral'> = {
  unacceptable: 'bad',
  high: 'warn',
  limited: 'info',
  minimal: 'neutral',
};

export function InventoryPage() {
  const [systems, setSystems] = useState<SystemView[] | undefined>();
  const [cadences, setCadences] = useState<CadenceView[] | undefined>();
  const [error, setError] = useState<{ what: string; err: unknown } | undefined>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setError(undefined);
    getAll<SystemView>('/systems').then(setSystems, (err: unknown) => setError({ what: 'the systems', err }));
    allCadences().then(setCadences, (err: unknown) => setError({ what: 'the cadences', err }));
  }, [attempt]);
  const replace = (c: CadenceView) => setCadences((list) => list?.map((x) => (x.id === c.id ? { ...x, ...c } : x)));
  return (
    <Page title="Inventory and cadences" lead={<p>The AI systems in the inventory and the cadences that open their work.</p>}>
      {error && <LoadError error={error.err} what={error.what} retry={() => setAttempt((n) => n + 1)} />}
      <section aria-labelledby="systems-heading">
        <h2 id="systems-heading">AI systems</h2>
        {systems ? <SystemsTable systems={systems} cadences={cadences ?? []} /> : !error && <Loading what="Loading the systems" />}
      </section>
      <section aria-labelledby="cadences-heading">
        <h2 id="cadences-heading">Cadences</h2>
        {cadences ? (
          <Cadences cadences={cadences} systems={systems ?? []} onChanged={replace} />
        ) : (
          !error && <Loading what="Loading the cadences" />
        )}
      </section>
    </Page>
  );
}

function SystemsTable({ systems, cadences }: { systems: SystemView[]; cadences: CadenceView[] }) {
  const people = usePeople();
  const now = useNow(60_000);
  if (!systems.length) return <p className="empty">No AI systems are registered yet.</p>;
  const nextRun = (s: SystemView) =>
    cadences
      .filter((c) => c.systemId === s.id && !c.paused)
      .flatMap((c) => c.nextRunTimes.slice(0, 1).map((t) => ({ t, c })))
      .sort((a, b) => Date.parse(a.t) - Date.parse(b.t))[0];
  return (
    <TableScroll label="Table of AI systems">
      <table>
        <thead>
          <tr>
            <th scope="col">System</th>
            <th scope="col">Risk tier</th>
            <th scope="col">Owner</th>
            <th scope="col">Lifecycle</th>
            <th scope="col">Next run</th>
          </tr>
        </thead>
        <tbody>
          {systems.map((s) => {
            const n = nextRun(s);
            return (
              <tr key={s.id}>
                <th scope="row">
                  {s.name}
                  {s.goLiveDate && <span className="hint cell-sub">Go-live {formatDate(s.goLiveDate)}</span>}
                </th>
                <td>
                  <Badge tone={TIER_TONE[s.riskTier] ?? 'neutral'}>{words(s.riskTier)}</Badge>
                </td>
                <td>{nameOf(people, s.ownerId)}</td>
                <td>{words(s.lifecycleStage)}</td>
                <td>
                  {n ? (
                    <>
                      {kindLabel(n.c.kind)}: <time dateTime={n.t}>{formatInstant(n.t)}</time>{' '}
                      <span className="hint">({relative(n.t, now)})</span>
                    </>
                  ) : (
                    <span className="hint">None scheduled</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

function Cadences({ cadences, systems, onChanged }: { cadences: CadenceView[]; systems: SystemView[]; onChanged(c: CadenceView): void }) {
  const now = useNow(60_000);
  const org = cadences.filter((c) => c.scope === 'org');
  const systemName = (id?: string) => systems.find((s) => s.id === id)?.name;
  const perSystem = cadences
    .filter((c) => c.scope !== 'org')
    .sort((a, b) => (systemName(a.systemId) ?? '').localeCompare(systemName(b.systemId) ?? '') || a.kind.localeCompare(b.kind));
  return (
    <>
      <h3>Organisation-wide</h3>
      {org.length ? (
        <ul className="cards" aria-label="Organisation-wide cadences">
          {org.map((c) => (
            <li key={c.id}>
              <CadenceCard cadence={c} now={now} onChanged={onChanged} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No organisation-wide cadences.</p>
      )}
      <h3>Per AI system</h3>
      {perSystem.length ? (
        <ul className="cards" aria-label="Per-system cadences">
          {perSystem.map((c) => (
            <li key={c.id}>
              <CadenceCard cadence={c} systemName={systemName(c.systemId)} now={now} onChanged={onChanged} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No per-system cadences.</p>
      )}
    </>
  );
}

function CadenceCard({
  cadence: c,
  systemName,
  now,
  onChanged,
}: {
  cadence: CadenceView;
  systemName?: string;
  now: number;
  onChanged(c: CadenceView): void;
}) {
  const me = useMe();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: ReactNode } | undefined>();
  const title = systemName && !c.description.includes(systemName) ? `${c.description} (${systemName})` : c.description;
  const id = `cadence-${c.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const act = async (what: 'trigger' | 'pause' | 'unpause') => {
    setBusy(true);
    setResult(undefined);
    try {
      if (what === 'trigger') {
        const r = await api.post<TriggerResult>(`/cadences/${seg(c.id)}/trigger`);
        const tasks = 'taskId' in r ? [r.taskId] : r.taskIds;
        setResult({
          ok: true,
          text: (
            <>
              {r.outcome === 'opened' ? 'Triggered: opened' : 'Already open'} for {r.period}
              {tasks.length > 0 && ': '}
              {tasks.slice(0, 5).map((t, i) => (
                <span key={t}>
                  {i > 0 && ', '}
                  <Link to={paths.task(t)}>{t}</Link>
                </span>
              ))}
              {tasks.length > 5 && ` and ${tasks.length - 5} more`}.
            </>
          ),
        });
      } else {
        const updated = await api.post<CadenceView>(`/cadences/${seg(c.id)}/${what}`);
        onChanged(updated);
        setResult({ ok: true, text: what === 'pause' ? 'Paused: no cycle runs until it is unpaused.' : 'Unpaused: its cycles run again.' });
      }
    } catch (err) {
      setResult({ ok: false, text: reasonOf(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="card" aria-labelledby={id}>
      <h4 id={id}>{title}</h4>
      <p className="meta">
        <code>{c.id}</code> {c.paused ? <Badge tone="warn">Paused</Badge> : <Badge tone="good">Active</Badge>}
        {c.note && <span className="hint"> Note: {c.note}</span>}
      </p>
      <p>
        Next runs:{' '}
        {c.nextRunTimes.length && !c.paused ? (
          c.nextRunTimes.slice(0, 3).map((t, i) => (
            <span key={t}>
              {i > 0 && '; '}
              <time dateTime={t}>{formatInstant(t)}</time>
              {i === 0 && <span className="hint"> ({relative(t, now)})</span>}
            </span>
          ))
        ) : (
          <span className="hint">{c.paused ? 'none while paused' : 'none scheduled'}</span>
        )}
      </p>
      {may(me.role, 'runCadences') && (
        <div className="button-row">
          <button type="button" disabled={busy} onClick={() => void act('trigger')}>
            Trigger now
          </button>
          {c.paused ? (
            <button type="button" className="button-secondary" disabled={busy} onClick={() => void act('unpause')}>
              Unpause
            </button>
          ) : (
            <button type="button" className="button-secondary" disabled={busy} onClick={() => void act('pause')}>
              Pause
            </button>
          )}
        </div>
      )}
      {result && <Notice kind={result.ok ? 'success' : 'error'}>{result.text}</Notice>}
    </article>
  );
}
