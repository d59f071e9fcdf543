'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { ScrollRegion } from '@/app/_components/scroll-region';
import { useTRPC } from '@/app/_trpc/client';
import { refetchAfterWrite } from '@/app/_trpc/refetch';
import type { ImportReport } from '@/server/contracts/imports';

interface Refusal {
  message: string;
  issues: { path: string; message: string }[];
}

type Upload =
  | { state: 'idle' }
  | { state: 'sending'; percent: number }
  | { state: 'reading' }
  | { state: 'done'; report: ImportReport }
  | { state: 'refused'; refusal: Refusal };

/** Posts the file as a form with the session cookie; XMLHttpRequest, because fetch reports no upload progress. */
function send(form: FormData, query: string, onProgress: (percent: number) => void): Promise<Upload> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/imports${query}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      const body = xhr.response as { error?: Refusal } | ImportReport | null;
      if (xhr.status === 201) resolve({ state: 'done', report: body as ImportReport });
      else {
        const error = (body as { error?: Refusal } | null)?.error;
        resolve({
          state: 'refused',
          refusal: { message: error?.message ?? `The server answered ${xhr.status}.`, issues: error?.issues ?? [] },
        });
      }
    };
    xhr.onerror = () =>
      resolve({
        state: 'refused',
        refusal: { message: 'The upload did not reach the server; try again.', issues: [] },
      });
    xhr.send(form);
  });
}

const when = (d: string | null) => (d ? new Date(d).toISOString().slice(0, 16).replace('T', ' ') : '—');

export function ImportPanel() {
  return (
    <div className="stack">
      <UploadSection />
      <ImportHistory />
    </div>
  );
}

/** The file, its unit and the skip option; progress while it travels, then the report or the refusal. */
function UploadSection() {
  const queryClient = useQueryClient();
  const refresh = () => refetchAfterWrite(queryClient);
  const [file, setFile] = useState<File | null>(null);
  const [unit, setUnit] = useState<'' | 'kg' | 'lb'>('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [upload, setUpload] = useState<Upload>({ state: 'idle' });
  const busy = upload.state === 'sending' || upload.state === 'reading';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    const params = new URLSearchParams();
    if (unit) params.set('unit', unit);
    if (skipInvalid) params.set('skip_invalid', 'true');
    const query = params.size > 0 ? `?${params}` : '';
    setUpload({ state: 'sending', percent: 0 });
    const result = await send(form, query, (percent) =>
      setUpload(percent < 100 ? { state: 'sending', percent } : { state: 'reading' }),
    );
    setUpload(result);
    if (result.state === 'done') refresh();
  };

  const unitAsked = upload.state === 'refused' && upload.refusal.issues.some((i) => i.path === 'unit');

  return (
    <section aria-labelledby="upload-heading" className="card stack">
      <h2 id="upload-heading">Upload an export</h2>
      <form onSubmit={submit} className="stack" noValidate>
        <label>
          Export file (CSV)
          <input
            type="file"
            name="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setUpload({ state: 'idle' });
            }}
          />
        </label>
        <div className="row">
          <label>
            Weights are in
            <select value={unit} onChange={(e) => setUnit(e.target.value as '' | 'kg' | 'lb')} name="unit">
              <option value="">as the file says</option>
              <option value="kg">kilograms</option>
              <option value="lb">pounds</option>
            </select>
          </label>
          <label className="row">
            <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />
            Skip rows that cannot be read
          </label>
        </div>
        <div className="row">
          <button type="submit" disabled={!file || busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
          {upload.state === 'sending' ? (
            <progress max={100} value={upload.percent} aria-label="Upload progress">
              {upload.percent}%
            </progress>
          ) : null}
          {upload.state === 'reading' ? (
            <span role="status" className="muted">
              Uploaded; reading your history…
            </span>
          ) : null}
        </div>
      </form>
      {upload.state === 'refused' ? (
        <div role="alert" className="stack">
          <p className="field-error">{upload.refusal.message}</p>
          {unitAsked ? (
            <p>Strong’s export does not say its unit: choose kilograms or pounds above and import again.</p>
          ) : null}
          {upload.refusal.issues.length > 0 && !unitAsked ? (
            <ul>
              {upload.refusal.issues.map((i) => (
                <li key={i.path}>
                  {i.path}: {i.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {upload.state === 'done' ? <Report report={upload.report} /> : null}
    </section>
  );
}

/** The lifter's imports, newest first, each with its undo button. */
function ImportHistory() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const history = useQuery(trpc.imports.list.queryOptions());
  const undo = useMutation(trpc.imports.undo.mutationOptions({ onSuccess: () => refetchAfterWrite(queryClient) }));
  return (
    <section aria-labelledby="history-heading" className="card stack" data-loaded={!history.isPending}>
      <h2 id="history-heading">Your imports</h2>
      {history.isPending ? (
        <Skeleton label="your imports" height={96} />
      ) : history.isError ? (
        <ErrorNotice what="your imports" onRetry={() => history.refetch()} />
      ) : history.data.length === 0 ? (
        <EmptyState title="Nothing imported yet">Your imports and their undo buttons appear here.</EmptyState>
      ) : (
        <ScrollRegion label="Your imports, scrollable">
          <table data-testid="import-history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">File</th>
                <th scope="col">App</th>
                <th scope="col">Sessions</th>
                <th scope="col">Sets new / already there / skipped</th>
                <th scope="col">
                  <span className="visually-hidden">Undo</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((i) => (
                <tr key={i.import_id}>
                  <td>{when(i.created_at)}</td>
                  <td>{i.file_name ?? '—'}</td>
                  <td>{i.format}</td>
                  <td>{i.sessions}</td>
                  <td>
                    {i.sets.new} / {i.sets.duplicate} / {i.sets.skipped}
                  </td>
                  <td>
                    {i.undone_at ? (
                      <span className="muted">undone {when(i.undone_at)}</span>
                    ) : (
                      <button
                        type="button"
                        className="secondary"
                        disabled={undo.isPending}
                        onClick={() => undo.mutate({ id: i.import_id })}
                      >
                        Undo import of {i.file_name ?? i.format}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {undo.isError ? (
        <p role="alert" className="field-error">
          {undo.error.message}
        </p>
      ) : null}
      {undo.data ? (
        <p role="status" className="notice-inline">
          Removed {undo.data.sets_removed} sets and {undo.data.sessions_removed} sessions.
        </p>
      ) : null}
    </section>
  );
}

function Report({ report }: { report: ImportReport }) {
  const reasons = Object.entries(report.skipped_reasons);
  return (
    <div role="status" className="stack" data-testid="import-report">
      <p className="notice-inline">
        Imported {report.sets.new} sets in {report.sessions} new sessions from {report.format}.
      </p>
      <p className="muted small">
        Layout: {report.layout}. Already there: {report.sets.duplicate}. Skipped: {report.sets.skipped}.
      </p>
      {reasons.length > 0 ? (
        <ul>
          {reasons.map(([reason, n]) => (
            <li key={reason}>
              {n} skipped: {reason}
            </li>
          ))}
        </ul>
      ) : null}
      {report.warnings.length > 0 ? (
        <details>
          <summary>Warnings by line ({report.warnings.length})</summary>
          <ul>
            {report.warnings.map((w) => (
              <li key={`${w.line}-${w.message}`}>
                line {w.line}: {w.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
