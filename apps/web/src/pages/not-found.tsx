/** Paths the app does not have, and pages the signed-in role does not use. */
import { Page } from '../components/page';
import { Link, paths } from '../router';

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>
        There is no such page. Go to <Link to={paths.myWork}>My work</Link>.
      </p>
    </Page>
  );
}

export function NotAllowedPage() {
  return (
    <Page title="Not available for your role">
      <p>
        This page is for other roles. Go to <Link to={paths.myWork}>My work</Link>.
      </p>
    </Page>
  );
}
