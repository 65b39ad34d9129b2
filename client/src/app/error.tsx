'use client';

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main id="main">
      <div className="card stack" role="alert">
        <h1>Something went wrong</h1>
        <p className="muted">
          The page could not be loaded. {error.digest ? `(Reference ${error.digest})` : ''}
        </p>
        <button type="button" className="primary" onClick={reset}>
          Try again
        </button>
      </div>
    </main>
  );
}
