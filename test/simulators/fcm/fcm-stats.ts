export interface TokenStats {
  /** send requests for this target that passed validation (retries included) */
  count: number;
  successes: number;
  /** failures by status (`UNAVAILABLE`, `RESOURCE_EXHAUSTED`, …) */
  failures: Record<string, number>;
}

export interface FcmStatsReport {
  requests: number;
  successes: number;
  failures: number;
  /** sends answered 503 while the simulator was down (before reading the message) */
  refused: number;
  distinctTokens: number;
  /** targets that got more than one successful message: a sender that should not have resent */
  duplicates: string[];
  tokens?: Record<string, TokenStats>;
}

/** What the simulator received, per target, so tests can prove nothing was lost or sent twice. */
export class FcmStats {
  private tokens = new Map<string, TokenStats>();
  private totals = { requests: 0, successes: 0, failures: 0, refused: 0 };

  private entry(key: string): TokenStats {
    let e = this.tokens.get(key);
    if (!e) this.tokens.set(key, (e = { count: 0, successes: 0, failures: {} }));
    return e;
  }

  received(key: string): void {
    this.entry(key).count += 1;
    this.totals.requests += 1;
  }

  succeeded(key: string): void {
    this.entry(key).successes += 1;
    this.totals.successes += 1;
  }

  failed(key: string, status: string): void {
    const e = this.entry(key);
    e.failures[status] = (e.failures[status] ?? 0) + 1;
    this.totals.failures += 1;
  }

  refused(): void {
    this.totals.refused += 1;
  }

  count(key: string): number {
    return this.tokens.get(key)?.count ?? 0;
  }

  clear(): void {
    this.tokens = new Map();
    this.totals = { requests: 0, successes: 0, failures: 0, refused: 0 };
  }

  /** `summary` leaves the per-token map out (a million-device broadcast makes it large). */
  report(summary: boolean): FcmStatsReport {
    const duplicates = [...this.tokens].filter(([, e]) => e.successes > 1).map(([k]) => k);
    return {
      ...this.totals,
      distinctTokens: this.tokens.size,
      duplicates,
      ...(summary
        ? {}
        : { tokens: Object.fromEntries([...this.tokens].map(([k, e]) => [k, structuredClone(e)])) }),
    };
  }
}
