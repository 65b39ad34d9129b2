const SUFFIXES: Record<string, number> = {
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A Kubernetes resource quantity (`250m`, `1`, `128Mi`, `1G`) as a number; NaN if malformed. */
export function parseQuantity(quantity: string | number): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)([a-zA-Z]*)$/.exec(String(quantity));
  const factor = match ? SUFFIXES[match[2] ?? ''] : undefined;
  if (!match || factor === undefined) return Number.NaN;
  return Number(match[1]) * factor;
}
