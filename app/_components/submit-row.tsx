/** A form's submit button with what came of it: the saved message, and any error (the form's or the server's). */
export function SubmitRow({
  label,
  pending,
  saved,
  errors,
}: {
  label: string;
  pending: boolean;
  saved?: string | null;
  errors: readonly (string | null | undefined)[];
}) {
  return (
    <div className="span-2 row">
      <button type="submit" disabled={pending}>
        {pending ? 'Saving…' : label}
      </button>
      {saved ? (
        <span role="status" className="notice-inline">
          {saved}
        </span>
      ) : null}
      {errors
        .filter((e): e is string => Boolean(e))
        .map((e) => (
          <span key={e} role="alert" className="field-error">
            {e}
          </span>
        ))}
    </div>
  );
}
