/**
 * What the server reads from a profile snapshot — the client's own object, stored encrypted whole — by its known
 * keys (`contracts/profile-versions.ts` checks them on the way in). One place, so SQL never needs to see inside.
 */
export interface SnapshotFacts {
  weightKg: number | null;
  heightCm: number | null;
  age: number | null;
  sex: string | null;
  goalWeightKg: number | null;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function snapshotFacts(snapshot: Record<string, unknown>): SnapshotFacts {
  return {
    weightKg: num(snapshot.weightKg),
    heightCm: num(snapshot.heightCm),
    age: num(snapshot.age),
    sex: typeof snapshot.sex === 'string' ? snapshot.sex : null,
    goalWeightKg: num(snapshot.idealWeightGoal),
  };
}

/** The bodyweight a snapshot gives: `profile_versions.weight_kg`, which weekly analytics read in SQL. */
export const snapshotWeightKg = (snapshot: Record<string, unknown>) => snapshotFacts(snapshot).weightKg;
