export default function Loading() {
  return (
    <main id="main" aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading…
      </p>
      <div className="stack">
        <div className="skeleton" style={{ height: '2rem', width: '40%' }} />
        <div className="skeleton" />
        <div className="skeleton" />
        <div className="skeleton" />
      </div>
    </main>
  );
}
