import { describe, expect, it } from 'vitest';
import { displayWidth } from './measure';
import { formatHelp } from './help';
import { wrapText } from './wrap';

describe('wrapText', () => {
  it('fills lines greedily', () => {
    expect(wrapText('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
    expect(wrapText('the quick brown fox jumps', 9)).toEqual(['the quick', 'brown fox', 'jumps']);
  });

  it('collapses whitespace and keeps paragraphs', () => {
    expect(wrapText('  one   two \n\nthree', 20)).toEqual(['one two', '', 'three']);
  });

  it('applies a hanging indent within the width', () => {
    const lines = wrapText('alpha beta gamma delta', 12, { hangingIndent: '    ' });
    expect(lines).toEqual(['alpha beta', '    gamma', '    delta']);
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(12);
  });

  it('splits words longer than the width', () => {
    expect(wrapText('see https://example.com/a/very/long/path ok', 12)).toEqual([
      'see',
      'https://exam',
      'ple.com/a/ve',
      'ry/long/path',
      'ok',
    ]);
  });

  it('measures wide characters', () => {
    expect(wrapText('日本語 テキスト です', 8)).toEqual(['日本語', 'テキスト', 'です']);
  });

  it('returns one empty line for empty text', () => {
    expect(wrapText('', 10)).toEqual(['']);
  });

  it('rejects a width that leaves no room', () => {
    expect(() => wrapText('x', 2, { hangingIndent: '  ' })).toThrow(RangeError);
    expect(() => wrapText('x', 0)).toThrow(RangeError);
  });
});

describe('formatHelp', () => {
  it('wraps option descriptions under their column', () => {
    const out = formatHelp('tool [options]', 'Does things.', [
      { flags: '-v', description: 'print more output while running' },
    ], 30);
    expect(out).toBe(
      'Usage: tool [options]\n\nDoes things.\n\nOptions:\n' +
        '  -v  print more output while\n' +
        '      running\n',
    );
  });
});
