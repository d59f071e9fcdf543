import type { Metadata } from 'next';
import { ScrollRegion } from '@/app/_components/scroll-region';
import { authorization } from '@/server/auth/credentials';
import { documentedEndpoints, openApiDocument } from '@/server/contracts/openapi';
import styles from './docs.module.css';

export const metadata: Metadata = { title: 'API docs' };

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
  default?: unknown;
};

const refName = (ref: string) => ref.split('/').pop()!;

function typeLabel(s: Schema): string {
  if (s.$ref) return refName(s.$ref);
  if (s.anyOf) return s.anyOf.map(typeLabel).join(' | ');
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.type === 'array') return `${s.items ? typeLabel(s.items) : 'any'}[]`;
  if (s.type === 'object' && !s.properties) return 'object';
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
}

function constraints(s: Schema): string {
  const flat = s.anyOf?.find((x) => x.type !== 'null') ?? s;
  const parts: string[] = [];
  if (flat.minimum !== undefined || flat.maximum !== undefined)
    parts.push(`${flat.minimum ?? '−∞'} – ${flat.maximum ?? '∞'}`);
  if (flat.maxLength !== undefined) parts.push(`≤ ${flat.maxLength} chars`);
  if (flat.maxItems !== undefined) parts.push(`≤ ${flat.maxItems} items`);
  if (flat.format) parts.push(flat.format);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.join(', ');
}

function Fields({ name, schema }: { name: string; schema: Schema }) {
  const props = Object.entries(schema.properties ?? {});
  return (
    <section id={`schema-${name}`} className={styles.schema}>
      <h4>{name}</h4>
      {props.length === 0 ? (
        <p>{typeLabel(schema)}</p>
      ) : (
        <ScrollRegion className={styles.tableWrap} label={`${name} fields, scrollable`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Type</th>
                <th scope="col">Rules</th>
                <th scope="col">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {props.map(([field, s]) => (
                <tr key={field}>
                  <td>
                    <code>{field}</code>
                    {schema.required?.includes(field) ? <span className={styles.req}> required</span> : null}
                  </td>
                  <td>{typeLabel(s)}</td>
                  <td>{constraints(s)}</td>
                  <td>{s.description ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}

const AUTH_HEADER = `-H "Authorization: ${authorization('$TOKEN')}"`;

function curl(method: string, rawPath: string, example: unknown): string {
  // Path parameters name a user: show the demo lifter.
  const path = rawPath.replace(/\{\w+\}/g, 'user-123');
  if (method === 'GET') {
    const qs = example ? `?${new URLSearchParams(example as Record<string, string>)}` : '';
    return `curl -s "http://localhost:3000${path}${qs}" \\\n  ${AUTH_HEADER}`;
  }
  if (example === undefined) return `curl -s -X ${method} http://localhost:3000${path} \\\n  ${AUTH_HEADER}`;
  return [
    `curl -s -X ${method} http://localhost:3000${path} \\`,
    `  ${AUTH_HEADER} -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify(example)}'`,
  ].join('\n');
}

/** A readable rendering of the generated OpenAPI document: the same zod schemas the routes enforce. */
export default function DocsPage() {
  const doc = openApiDocument();
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  return (
    <main>
      <h1>Overload API</h1>
      <p>
        The REST contract the mobile app calls, generated from the same zod schemas the server validates with. Machine
        readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Authenticate with{' '}
        <code>Authorization: {authorization('<token>')}</code>; every path is also served without <code>/v1</code>.
        POSTs honour an <code>Idempotency-Key</code> header. Errors always answer{' '}
        <code>{'{"error": {"code", "message", "issues": [{"path", "message"}]}}'}</code>.
      </p>
      <nav aria-label="Endpoints">
        <ul className={styles.toc}>
          {documentedEndpoints.map((e) => (
            <li key={e.operationId}>
              <a href={`#${e.operationId}`}>
                <span className={styles.method}>{e.method}</span> /api/v1{e.path}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {documentedEndpoints.map((e) => {
        const path = `/api/v1${e.path}`;
        const operations = doc.paths?.[path] as Record<string, { responses: Record<string, { description: string }> }>;
        const op = operations[e.method.toLowerCase()]!;
        return (
          <article key={e.operationId} id={e.operationId} className={`card ${styles.endpoint}`}>
            <h2>
              <span className={styles.method}>{e.method}</span> <code>{path}</code>
            </h2>
            <p>
              <strong>{e.summary}.</strong> {e.description}
            </p>
            {e.example !== undefined || e.method === 'DELETE' ? (
              <>
                <h3>Example</h3>
                <ScrollRegion className={styles.example} label={`Example request for ${e.method} ${path}`}>
                  <pre className={styles.pre}>{curl(e.method, path, e.example)}</pre>
                </ScrollRegion>
              </>
            ) : null}
            <h3>Responses</h3>
            <ul>
              {Object.entries(op.responses).map(([status, r]) => (
                <li key={status}>
                  <code>{status}</code> {r.description}
                </li>
              ))}
            </ul>
          </article>
        );
      })}
      <h2>Schemas</h2>
      {Object.entries(schemas).map(([name, s]) => (
        <Fields key={name} name={name} schema={s} />
      ))}
    </main>
  );
}
