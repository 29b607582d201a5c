/**
 * Settings: the person's private calendar feeds (their due dates, the ladder steps that concern
 * them, incident deadlines). A new feed's URL holds a secret and is shown once, with a copy button.
 */
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api, reasonOf, seg } from '../api/client';
import type { CalendarFeed, CreatedCalendarFeed } from '../api/types';
import { errorsFor, FormError, TextInput, useAction } from '../components/fields';
import { Fact, Loaded, Notice, Page } from '../components/page';
import { useApi } from '../hooks';
import { ROLE_LABELS } from '../labels';
import { useMe, useSession } from '../session';
import { formatInstant } from '../time';

export function SettingsPage() {
  const me = useMe();
  const { expiresAt } = useSession();
  const feeds = useApi<{ items: CalendarFeed[] }>('/me/calendar-feeds');
  const [created, setCreated] = useState<CreatedCalendarFeed | undefined>();
  return (
    <Page title="Settings">
      <section aria-labelledby="account-heading">
        <h2 id="account-heading">Your account</h2>
        <dl className="facts">
          <Fact term="Name">{me.name}</Fact>
          <Fact term="Email">{me.email}</Fact>
          <Fact term="Role">{ROLE_LABELS[me.role]}</Fact>
          {expiresAt && (
            <Fact term="Session ends">
              <time dateTime={expiresAt}>{formatInstant(expiresAt)}</time>
            </Fact>
          )}
        </dl>
      </section>
      <section aria-labelledby="feeds-heading">
        <h2 id="feeds-heading">Calendar feeds</h2>
        <p>
          A private iCalendar URL of your due dates, the reminders and escalations that concern you, and incident deadlines. Add it to your
          calendar app as a subscription. Anyone with the URL can read the feed: revoke it if it leaks.
        </p>
        <CreateFeed
          onCreated={(f) => {
            setCreated(f);
            feeds.reload();
          }}
        />
        {created && <NewFeedUrl feed={created} onDismiss={() => setCreated(undefined)} />}
        <h3>Your feeds</h3>
        <Loaded state={feeds} what="your calendar feeds" notFound={<p>Calendar feeds are not available from this server yet.</p>}>
          {(f) => <FeedList feeds={f.items} onRevoked={feeds.reload} />}
        </Loaded>
      </section>
    </Page>
  );
}

function CreateFeed({ onCreated }: { onCreated(f: CreatedCalendarFeed): void }) {
  const [label, setLabel] = useState('');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const f = await action.run(() => api.post<CreatedCalendarFeed>('/me/calendar-feeds', label.trim() ? { label: label.trim() } : {}));
    if (f) {
      setLabel('');
      onCreated(f);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="stack card" aria-labelledby="new-feed-heading">
      <h3 id="new-feed-heading">New calendar feed</h3>
      <TextInput
        label="Feed name (optional)"
        hint="e.g. Work phone"
        value={label}
        onChange={setLabel}
        maxLength={100}
        errors={errorsFor(action.fieldErrors, 'label')}
      />
      <FormError error={action.error} shown={['label']} />
      <button type="submit" disabled={action.busy}>
        Create calendar feed
      </button>
    </form>
  );
}

function NewFeedUrl({ feed, onDismiss }: { feed: CreatedCalendarFeed; onDismiss(): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(feed.url);
      setCopied('Copied to the clipboard.');
    } catch {
      input.current?.select();
      setCopied('Selected: press Ctrl+C (or ⌘C) to copy.');
    }
  };
  return (
    <div className="card new-feed" role="region" aria-label="New feed URL">
      <Notice kind="success">
        <p>Your feed {feed.label ? `“${feed.label}” ` : ''}is ready. Copy its URL now: it is shown only once.</p>
      </Notice>
      <div className="field">
        <label htmlFor="feed-url">Feed URL</label>
        <input id="feed-url" ref={input} type="text" readOnly value={feed.url} onFocus={(e) => e.target.select()} />
      </div>
      <div className="button-row">
        <button type="button" onClick={() => void copy()}>
          Copy URL
        </button>
        <button type="button" className="button-secondary" onClick={onDismiss}>
          Done
        </button>
      </div>
      {copied && <p role="status">{copied}</p>}
    </div>
  );
}

function FeedList({ feeds, onRevoked }: { feeds: CalendarFeed[]; onRevoked(): void }) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const active = feeds.filter((f) => !f.revokedAt);
  const revoked = feeds.filter((f) => f.revokedAt);
  const revoke = async (f: CalendarFeed) => {
    setBusy(f.id);
    setError(undefined);
    try {
      await api.delete(`/me/calendar-feeds/${seg(f.id)}`);
      onRevoked();
    } catch (err) {
      setError(reasonOf(err));
    } finally {
      setBusy(undefined);
    }
  };
  if (!feeds.length) return <p className="empty">You have no calendar feeds.</p>;
  return (
    <>
      {error && <Notice kind="error">{error}</Notice>}
      <ul className="cards" aria-label="Calendar feeds">
        {active.map((f) => (
          <li key={f.id} className="card feed">
            <p>
              <strong>{f.label || 'Calendar feed'}</strong>
              <span className="hint">
                {' '}
                created {formatInstant(f.createdAt)}
                {f.lastFetchedAt ? `, last read ${formatInstant(f.lastFetchedAt)}` : ', not read yet'}
              </span>
            </p>
            <button type="button" className="button-danger" disabled={busy === f.id} onClick={() => void revoke(f)}>
              Revoke<span className="visually-hidden"> {f.label || 'calendar feed'}</span>
            </button>
          </li>
        ))}
        {revoked.map((f) => (
          <li key={f.id} className="card feed feed-revoked">
            <p>
              <strong>{f.label || 'Calendar feed'}</strong> <span className="hint">revoked {formatInstant(f.revokedAt)}</span>
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
