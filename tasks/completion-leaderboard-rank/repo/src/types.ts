export interface Score {
  player: string;
  points: number;
  /** When the score was achieved; on equal points the earlier score ranks first in the list. */
  achievedAt: Date;
}

/**
 * How tied scores are ranked (points 90, 80, 80, 70):
 *  - `competition` ("1224"): ties share a rank and the next rank skips;
 *  - `dense` ("1223"): ties share a rank and the next rank does not skip;
 *  - `ordinal` ("1234"): every entry gets its own rank, in list order.
 */
export type RankMode = 'competition' | 'dense' | 'ordinal';

export interface Standing {
  rank: number;
  player: string;
  points: number;
}
