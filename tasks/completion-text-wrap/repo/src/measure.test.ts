import { describe, expect, it } from 'vitest';
import { displayWidth, sliceByWidth } from './measure';

describe('displayWidth', () => {
  it('counts wide and combining characters', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});

describe('sliceByWidth', () => {
  it('cuts at a column limit', () => {
    expect(sliceByWidth('abcdef', 4)).toEqual(['abcd', 'ef']);
  });

  it('does not split a wide character', () => {
    expect(sliceByWidth('a日本', 2)).toEqual(['a', '日本']);
  });

  it('always takes at least one character', () => {
    expect(sliceByWidth('日本', 1)).toEqual(['日', '本']);
  });
});
