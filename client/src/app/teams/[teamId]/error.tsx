'use client';

/** A team page that failed to load, inside the team's frame. */
export default function TeamError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="card stack" role="alert">
      <h2 className="card-title">This page could not be loaded</h2>
      <p className="muted">
        Try again in a moment. {error.digest ? `(Reference ${error.digest})` : ''}
      </p>
      <button type="button" className="primary" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
