import Link from 'next/link';

/** Wrong role or someone else's athlete: refuse plainly, and say where to go instead. */
export function Refused({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="narrow">
      <h1>{title}</h1>
      <p role="alert" className="notice notice-error">
        {children}
      </p>
      <p>
        <Link href="/">Back to the start page</Link>
      </p>
    </main>
  );
}
