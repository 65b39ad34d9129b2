export default function TeamLoading() {
  return (
    <div aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading…
      </p>
      <div className="board">
        {[0, 1, 2, 3, 4].map((i) => (
          <div key={i} className="skeleton skeleton-column" />
        ))}
      </div>
    </div>
  );
}
