'use client';

import type { ReactNode } from 'react';

/** Placeholder blocks shown while data loads, announced as busy to assistive technology. */
export function Skeleton({ label, height = 220 }: { label: string; height?: number }) {
  return (
    <div className="skeleton" style={{ height }} role="status" aria-busy="true" aria-label={`Loading ${label}`}>
      <span className="visually-hidden">Loading {label}…</span>
    </div>
  );
}

export function ErrorNotice({ what, onRetry }: { what: string; onRetry?: () => void }) {
  return (
    <div role="alert" className="notice notice-error">
      <p>Couldn’t load {what}. Check your connection and try again; if it keeps failing, sign out and back in.</p>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      <p className="muted">{children}</p>
    </div>
  );
}
