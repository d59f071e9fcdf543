// The parts of jstat (no published types) that server/experiments and server/strength use. The package is CommonJS: its default
// export is the jStat object.
declare module 'jstat' {
  const jStat: {
    normal: {
      cdf(x: number, mean: number, sd: number): number;
      pdf(x: number, mean: number, sd: number): number;
      inv(p: number, mean: number, sd: number): number;
    };
    studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
    chisquare: { cdf(x: number, dof: number): number };
    percentile(values: readonly number[], k: number, exclusive?: boolean): number;
  };
  export default jStat;
}
