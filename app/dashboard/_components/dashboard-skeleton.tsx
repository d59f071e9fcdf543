const CARDS = ['first', 'second', 'third', 'fourth'];

/** What the dashboard shows while its data streams in: the cards and charts' shapes, marked busy. */
export function DashboardSkeleton() {
  return (
    <main aria-busy="true">
      <h1>Your training</h1>
      <div className="grid-cards" role="status" aria-label="Loading the dashboard">
        {CARDS.map((card) => (
          <div key={card} className="skeleton" style={{ height: 96 }} />
        ))}
      </div>
      <div className="skeleton" style={{ height: 280, marginTop: '1.5rem' }} />
      <div className="skeleton" style={{ height: 280, marginTop: '1.5rem' }} />
    </main>
  );
}
