import Link from 'next/link';

export default function HomePage() {
  return (
    <main>
      <h1>Overload</h1>
      <p>
        Overload is the training-data backend behind a progressive-overload strength app. The phone app recommends
        weight × reps for every set; Overload collects what was recommended and what was lifted, turns it into personal
        records, plateaus and weekly trends, and computes the small weekly load modifiers the app applies on top of its
        own rules.
      </p>
      <p>
        <Link href="/signin">Sign in</Link> with an API token, or as one of the demo users, to see a dashboard.
      </p>
      <ul className="links">
        <li className="card">
          <Link href="/dashboard">
            <strong>Lifter dashboard</strong>
            <span>PRs, plateaus and weekly trends.</span>
          </Link>
        </li>
        <li className="card">
          <Link href="/coach">
            <strong>Coach view</strong>
            <span>Athletes, modifier history and overrides.</span>
          </Link>
        </li>
        <li className="card">
          <Link href="/docs">
            <strong>API docs</strong>
            <span>The REST contract the mobile app calls.</span>
          </Link>
        </li>
      </ul>
    </main>
  );
}
