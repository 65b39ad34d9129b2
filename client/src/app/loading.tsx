export default function Loading() {
  return (
    <main id="main" aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading…
      </p>
      <div className="stack">
        <div className="skeleton skeleton-heading" />
        <div className="skeleton" />
        <div className="skeleton" />
        <div className="skeleton" />
      </div>
    </main>
  );
}
