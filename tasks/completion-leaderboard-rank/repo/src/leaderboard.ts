import type { RankMode, Score, Standing } from './types';

/** Best score per player for one game mode; ranks are computed on demand. */
export class Leaderboard {
  private readonly best = new Map<string, Score>();

  /**
   * Records `score` if it beats the player's best (equal points keep the earlier score).
   * Returns true when the player's best changed. Throws RangeError for non-finite points.
   */
  submit(score: Score): boolean {
    if (!Number.isFinite(score.points)) {
      throw new RangeError(`points must be a finite number, got ${score.points}`);
    }
    const current = this.best.get(score.player);
    if (current && current.points >= score.points) return false;
    this.best.set(score.player, score);
    return true;
  }

  get size(): number {
    return this.best.size;
  }

  bestOf(player: string): Score | undefined {
    return this.best.get(player);
  }

  /**
   * All players' best scores, highest points first, ranked by `mode` (see `RankMode`).
   * Order within equal points: earlier `achievedAt` first, then player name (code-unit order),
   * so the list is deterministic.
   */
  standings(mode: RankMode = 'competition'): Standing[] {
    throw new Error('not implemented');
  }

  /** The first `n` standings. */
  top(n: number, mode: RankMode = 'competition'): Standing[] {
    return this.standings(mode).slice(0, n);
  }

  /** The player's rank, or undefined when they have no score. */
  rankOf(player: string, mode: RankMode = 'competition'): number | undefined {
    return this.standings(mode).find((s) => s.player === player)?.rank;
  }
}
