/**
 * The time an event happened, on the server's clock. Device clocks drift, but the drift between "created"
 * and "sent" on the same device is trustworthy, so (as Snowplow's derived_tstamp does):
 *
 *   derived = received_at − (sent_at − occurred_at)
 *
 * Without both device times it is simply `received_at`. It is never later than `received_at` (a device whose
 * clock claims the event happened after it was sent is not believed).
 */
export function derivedEventTime(receivedAt: Date, occurredAt?: Date | null, sentAt?: Date | null): Date {
  if (!occurredAt || !sentAt) return receivedAt;
  const lag = sentAt.getTime() - occurredAt.getTime();
  return new Date(receivedAt.getTime() - Math.max(0, lag));
}
