/**
 * A build's spending limit. Each request reserves its worst case before it is sent (its input at a cautious
 * 3 characters per token, and all of its max_tokens of output); the reply's real counts replace the
 * reservation. A request that would not fit is not sent, so the build never spends past the limit.
 */
import { CHARS_PER_TOKEN_CAUTIOUS, costUsd, estimateTokens, formatUsd, type Price } from '../config/cost';

export interface Reservation {
  /** The request was answered (or failed) at this cost. */
  settle(usd: number): void;
  /** Its worst case, charged when what it cost is unknown. */
  readonly worstUsd: number;
}

export type ReserveResult = { ok: true; reservation: Reservation } | { ok: false; reason: string };

export class Budget {
  private spent = 0;
  private reserved = 0;
  private waiters: (() => void)[] = [];
  /** Specs refused, for the summary. */
  readonly refused = new Set<string>();

  constructor(readonly limitUsd: number, readonly price: Price) {}

  get spentUsd(): number {
    return this.spent;
  }

  /** The worst case of one request of `chars` characters in with room for `maxTokens` out. */
  worstCase(chars: number, maxTokens: number): number {
    return costUsd(this.price, estimateTokens(chars, CHARS_PER_TOKEN_CAUTIOUS), maxTokens);
  }

  /**
   * Reserves `worstUsd` for a request of `spec`. When only other requests' reservations stand in the way,
   * waits for them to settle (their real cost is usually far below their worst case) and tries again.
   */
  async reserve(spec: string, worstUsd: number): Promise<ReserveResult> {
    for (;;) {
      if (this.spent + this.reserved + worstUsd <= this.limitUsd) {
        this.reserved += worstUsd;
        let settled = false;
        return {
          ok: true,
          reservation: {
            worstUsd,
            settle: (usd) => {
              if (settled) return;
              settled = true;
              this.reserved -= worstUsd;
              this.spent += usd;
              this.wake();
            },
          },
        };
      }
      if (this.reserved > 0 && this.spent + worstUsd <= this.limitUsd) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        continue;
      }
      this.refused.add(spec);
      return {
        ok: false,
        reason: `not sent: this request could cost up to ${formatUsd(worstUsd)} and ${formatUsd(this.spent)} of the ${formatUsd(this.limitUsd)} budget is spent, ` +
          'so it could go over. Raise the budget (--budget, or "budget" in the plugin entry) and build again: the entries written so far are kept',
      };
    }
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    waiting.forEach((w) => w());
  }
}
