import Link from 'next/link';

export default function NotFound() {
  return (
    <main id="main">
      <div className="card stack">
        <h1>Not found</h1>
        <p className="muted">This page does not exist, or you are not a member of its team.</p>
        <Link href="/">Go home</Link>
      </div>
    </main>
  );
}
