/** The frame of every page (skip link, banner with the navigation by role, main, footer) and the routes. */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { Capability } from './access';
import { may } from './access';
import { ROLE_LABELS } from './labels';
import { ApprovalsPage } from './pages/approvals';
import { DashboardPage } from './pages/dashboard';
import { IncidentPage } from './pages/incident';
import { IncidentsPage } from './pages/incidents';
import { InventoryPage } from './pages/inventory';
import { MyWorkPage } from './pages/my-work';
import { NotAllowedPage, NotFoundPage } from './pages/not-found';
import { SettingsPage } from './pages/settings';
import { SignInPage } from './pages/sign-in';
import { TaskPage } from './pages/task';
import { BASE, Link, navigate, paths, useLocation } from './router';
import { useSession } from './session';

const NAV: { to: string; label: string; what: Capability; match: (p: string) => boolean }[] = [
  { to: paths.myWork, label: 'My work', what: 'myWork', match: (p) => p === `${BASE}/` || p.startsWith(`${BASE}/tasks/`) },
  { to: paths.approvals, label: 'Approvals', what: 'approvals', match: (p) => p.startsWith(paths.approvals) },
  { to: paths.incidents, label: 'Incidents', what: 'incidents', match: (p) => p.startsWith(paths.incidents) },
  { to: paths.inventory, label: 'Inventory and cadences', what: 'inventory', match: (p) => p.startsWith(paths.inventory) },
  { to: paths.dashboard, label: 'Dashboard', what: 'dashboard', match: (p) => p.startsWith(paths.dashboard) },
  { to: paths.settings, label: 'Settings', what: 'settings', match: (p) => p.startsWith(paths.settings) },
];

function Header() {
  const { person, signOut, status } = useSession();
  const { pathname } = useLocation();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [pathname]);
  const items = NAV.filter((n) => may(person?.role, n.what));
  return (
    <header className="site-header">
      <div className="header-bar">
        <Link to={paths.myWork} className="brand">
          AIMS <span className="brand-sub">orchestrator</span>
        </Link>
        {status === 'signed-in' && person && (
          <>
            <button
              type="button"
              className="menu-toggle button-secondary"
              aria-expanded={open}
              aria-controls="main-nav"
              onClick={() => setOpen((o) => !o)}
            >
              Menu
            </button>
            <nav id="main-nav" aria-label="Main" className={open ? 'nav-open' : undefined}>
              <ul>
                {items.map((n) => (
                  <li key={n.to}>
                    <Link to={n.to} aria-current={n.match(pathname) ? 'page' : undefined}>
                      {n.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="who">
              <span>
                <span className="who-name">{person.name}</span> <span className="who-role">{ROLE_LABELS[person.role]}</span>
              </span>
              <button type="button" className="button-secondary" onClick={() => void signOut()}>
                Sign out
              </button>
            </div>
          </>
        )}
      </div>
    </header>
  );
}

function Routes() {
  const { pathname } = useLocation();
  const { person } = useSession();
  const role = person?.role;
  const gate = (what: Capability, page: ReactNode) => (may(role, what) ? page : <NotAllowedPage />);
  const task = /^\/app\/tasks\/([^/]+)\/?$/.exec(pathname);
  if (task) return <TaskPage key={task[1]} taskId={decodeURIComponent(task[1])} />;
  const incident = /^\/app\/incidents\/([^/]+)\/?$/.exec(pathname);
  if (incident) return <IncidentPage key={incident[1]} incidentId={decodeURIComponent(incident[1])} />;
  switch (pathname.replace(/\/+$/, '') || BASE) {
    case BASE:
      return <MyWorkPage />;
    case paths.approvals:
      return gate('approvals', <ApprovalsPage />);
    case paths.incidents:
      return <IncidentsPage />;
    case paths.inventory:
      return gate('inventory', <InventoryPage />);
    case paths.dashboard:
      return gate('dashboard', <DashboardPage />);
    case paths.settings:
      return <SettingsPage />;
    default:
      return <NotFoundPage />;
  }
}

export function App() {
  const { status, retry } = useSession();
  const { pathname, search } = useLocation();
  const onSignIn = pathname.replace(/\/+$/, '') === `${BASE}/sign-in`;

  useEffect(() => {
    if (status === 'signed-out' && !onSignIn) navigate(paths.signIn(pathname + (search.size ? `?${search}` : '')), { replace: true });
  }, [status, onSignIn, pathname, search]);

  let content: ReactNode;
  if (onSignIn) content = <SignInPage />;
  else if (status === 'signed-in') content = <Routes />;
  else if (status === 'unreachable')
    content = (
      <div className="notice notice-error" role="alert">
        <h1>The AIMS API cannot be reached</h1>
        <p>Check that the server is running, then try again.</p>
        <button type="button" onClick={retry}>
          Try again
        </button>
      </div>
    );
  else
    content = (
      <p className="loading" role="status">
        Loading…
      </p>
    );

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        {content}
      </main>
      <footer className="site-footer">
        <p>
          AIMS orchestrator: ISO/IEC 42001 cadences, reminders and escalations. The same API as every client:{' '}
          <a href="/docs">API documentation</a>.
        </p>
      </footer>
    </>
  );
}
