import Link from 'next/link';
import { redirect } from 'next/navigation';
import { currentUser } from '../lib/server-api';

export default async function HomePage() {
  if (await currentUser()) redirect('/teams');
  return (
    <main id="main">
      <section className="card stack narrow welcome">
        <h1>Plan work together, sell tickets, stay in the loop.</h1>
        <p className="muted">
          TaskForge gives each team a board of tasks with comments, mentions, attachments and live
          updates, a dashboard of how the work goes, and a marketplace of tickets.
        </p>
        <div className="button-row">
          <Link href="/signup" className="button primary">
            Create an account
          </Link>
          <Link href="/signin" className="button">
            Sign in
          </Link>
          <Link href="/tickets">Browse tickets</Link>
        </div>
      </section>
    </main>
  );
}
