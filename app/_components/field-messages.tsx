/** `arms[1].weight` → its message: zod's issues keyed as the form names its fields. */
export function messagesByPath(issues: readonly { path: PropertyKey[]; message: string }[]): Record<string, string> {
  return Object.fromEntries(
    issues.map((i) => [
      i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n ? `.${String(p)}` : String(p))).join(''),
      i.message,
    ]),
  );
}

/** A field's message under it, and the attributes that tie the two together for assistive technology. */
export function fieldMessages(errors: Record<string, string>) {
  return {
    error: (path: string) =>
      errors[path] ? (
        <span id={`${path}-error`} className="field-error">
          {errors[path]}
        </span>
      ) : null,
    described: (path: string) => ({
      'aria-invalid': Boolean(errors[path]),
      'aria-describedby': errors[path] ? `${path}-error` : undefined,
    }),
  };
}
