import type { ReactNode } from 'react';

/**
 * A wide table or code block that scrolls sideways on a phone. It is a named region that takes keyboard focus,
 * so keyboard users can scroll it too (axe's `scrollable-region-focusable`).
 */
export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled by keyboard.
    <section className={className ?? 'table-wrap'} tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
