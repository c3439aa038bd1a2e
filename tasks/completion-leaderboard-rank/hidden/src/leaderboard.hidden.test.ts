import { describe, expect, it } from 'vitest';
import { Leaderboard } from './leaderboard';
import { renderStandings } from './render';

const at = (minute: number) => new Date(Date.UTC(2024, 5, 1, 12, minute));

function board(): Leaderboard {
  const b = new Leaderboard();
  b.submit({ player: 'dee', points: 80, achievedAt: at(9) });
  b.submit({ player: 'ana', points: 90, achievedAt: at(5) });
  b.submit({ player: 'cy', points: 80, achievedAt: at(2) });
  b.submit({ player: 'bo', points: 70, achievedAt: at(1) });
  b.submit({ player: 'eve', points: 80, achievedAt: at(2) });
  return b;
}

describe('Leaderboard.standings', () => {
  it('orders by points, then earlier time, then name', () => {
    expect(board().standings().map((s) => s.player)).toEqual(['ana', 'cy', 'eve', 'dee', 'bo']);
  });

  it('uses competition ranking by default', () => {
    expect(board().standings().map((s) => s.rank)).toEqual([1, 2, 2, 2, 5]);
  });

  it('supports dense ranking', () => {
    expect(board().standings('dense').map((s) => s.rank)).toEqual([1, 2, 2, 2, 3]);
  });

  it('supports ordinal ranking', () => {
    expect(board().standings('ordinal').map((s) => s.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it('returns plain standings', () => {
    expect(board().standings()[0]).toEqual({ rank: 1, player: 'ana', points: 90 });
  });

  it('is empty for an empty board', () => {
    expect(new Leaderboard().standings()).toEqual([]);
  });

  it('feeds top, rankOf and rendering', () => {
    const b = board();
    expect(b.top(2).map((s) => s.player)).toEqual(['ana', 'cy']);
    expect(b.rankOf('bo')).toBe(5);
    expect(b.rankOf('bo', 'dense')).toBe(3);
    expect(b.rankOf('zed')).toBeUndefined();
    expect(renderStandings(b.top(3)).split('\n')[2]).toBe('🥈  eve  80');
  });

  it('handles negative scores', () => {
    const b = new Leaderboard();
    b.submit({ player: 'a', points: -5, achievedAt: at(1) });
    b.submit({ player: 'b', points: 0, achievedAt: at(2) });
    expect(b.standings()).toEqual([
      { rank: 1, player: 'b', points: 0 },
      { rank: 2, player: 'a', points: -5 },
    ]);
  });
});
