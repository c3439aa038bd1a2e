import type { Standing } from './types';

const MEDALS: Record<number, string> = { 1: '🥇', 2: '🥈', 3: '🥉' };

/** A plain-text table for chat bots: rank (with medals for the top 3), player, points right-aligned. */
export function renderStandings(standings: readonly Standing[]): string {
  if (standings.length === 0) return 'No scores yet.';
  const nameWidth = Math.max(...standings.map((s) => s.player.length));
  const pointsWidth = Math.max(...standings.map((s) => String(s.points).length));
  return standings
    .map((s) => {
      const rank = (MEDALS[s.rank] ?? `${s.rank}.`).padEnd(3);
      return `${rank} ${s.player.padEnd(nameWidth)}  ${String(s.points).padStart(pointsWidth)}`;
    })
    .join('\n');
}
