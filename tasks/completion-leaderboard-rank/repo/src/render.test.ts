import { describe, expect, it } from 'vitest';
import { renderStandings } from './render';

describe('renderStandings', () => {
  it('aligns names and points', () => {
    expect(
      renderStandings([
        { rank: 1, player: 'ana', points: 120 },
        { rank: 2, player: 'bartholomew', points: 95 },
        { rank: 4, player: 'cy', points: 7 },
      ]),
    ).toBe(['🥇  ana          120', '🥈  bartholomew   95', '4.  cy             7'].join('\n'));
  });

  it('says when there is nothing to show', () => {
    expect(renderStandings([])).toBe('No scores yet.');
  });
});
