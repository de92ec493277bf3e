/** Summary statistics of a column, for `inspect`. */
export interface Summary {
  min: number;
  median: number;
  mean: number;
  max: number;
}

export function summarize(values: ArrayLike<number>): Summary | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { min: sorted[0], median, mean: sum / n, max: sorted[n - 1] };
}
