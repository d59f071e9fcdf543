/** The request bodies of the write scenarios, dated relative to `now`. */
export function requestBodies(now: Date) {
  const single = JSON.stringify({ type: 'session_finished', payload: { calories: 2600, sets: 15, day_type: 'Push' } });
  // No event_id: every request stores its 500 events (with ids, repeats would be counted as duplicates).
  const batch = JSON.stringify({
    events: Array.from({ length: 500 }, (_, i) => ({
      type: i % 2 ? 'session_finished' : 'session_submitted',
      payload: { n: i, calories: 2400 + i, sets: 15 },
      occurred_at: new Date(now.getTime() - 60_000).toISOString(),
      sent_at: now.toISOString(),
    })),
  });
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString();
  const sessionOf = (userId: string) =>
    JSON.stringify({
      user_id: userId,
      date: yesterday,
      day_type: 'Push',
      finished: true,
      calories: 2600,
      sets: Array.from({ length: 15 }, (_, i) => ({
        exercise: ['Bench Press', 'Overhead Press', 'Incline Dumbbell Press', 'Cable Fly', 'Triceps Pushdown'][
          Math.floor(i / 3)
        ],
        set_number: i + 1,
        rec_weight: 60,
        rec_reps: 8,
        actual_weight: 60,
        actual_reps: i % 3 === 2 ? 7 : 8,
        intensity: 8,
      })),
      rec_meta: { algorithm: 'po-rules' },
    });
  return { single, batch, sessionOf };
}
