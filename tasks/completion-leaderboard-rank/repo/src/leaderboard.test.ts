import { describe, expect, it } from 'vitest';
import { Leaderboard } from './leaderboard';

const at = (minute: number) => new Date(Date.UTC(2024, 5, 1, 12, minute));

describe('Leaderboard.submit', () => {
  it('keeps the best score per player', () => {
    const board = new Leaderboard();
    expect(board.submit({ player: 'ana', points: 50, achievedAt: at(1) })).toBe(true);
    expect(board.submit({ player: 'ana', points: 40, achievedAt: at(2) })).toBe(false);
    expect(board.submit({ player: 'ana', points: 70, achievedAt: at(3) })).toBe(true);
    expect(board.size).toBe(1);
    expect(board.bestOf('ana')?.points).toBe(70);
  });

  it('keeps the earlier score on equal points', () => {
    const board = new Leaderboard();
    board.submit({ player: 'bo', points: 10, achievedAt: at(1) });
    expect(board.submit({ player: 'bo', points: 10, achievedAt: at(5) })).toBe(false);
    expect(board.bestOf('bo')?.achievedAt).toEqual(at(1));
  });

  it('rejects NaN', () => {
    expect(() => new Leaderboard().submit({ player: 'x', points: NaN, achievedAt: at(0) })).toThrow(RangeError);
  });
});
