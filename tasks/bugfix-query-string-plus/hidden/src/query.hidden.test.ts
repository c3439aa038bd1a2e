import { describe, expect, it } from 'vitest';
import { toFilters } from './filters';
import { handleSearch } from './handler';
import { parseQuery, stringifyQuery } from './query';

describe('encoded plus signs', () => {
  it('keeps %2B as a literal plus', () => {
    expect(parseQuery('q=c%2B%2B')).toEqual({ q: 'c++' });
  });

  it('mixes literal plus and spaces', () => {
    expect(parseQuery('q=1%2B1+%3D+2')).toEqual({ q: '1+1 = 2' });
  });

  it('decodes keys the same way', () => {
    expect(parseQuery('a%2Bb=1&a+b=2')).toEqual({ 'a+b': '1', 'a b': '2' });
  });

  it('round-trips values containing plus signs', () => {
    const query = { q: 'c++ & c#', tag: ['a+b', 'x y'] };
    expect(parseQuery(stringifyQuery(query))).toEqual(query);
  });

  it('searches for C++ end to end', async () => {
    let text = '';
    await handleSearch('/search?q=C%2B%2B&tag=lang', async (f) => {
      text = f.text;
      return [];
    });
    expect(text).toBe('C++');
    expect(toFilters(parseQuery('tag=c%2B%2B')).tags).toEqual(['c++']);
  });
});
