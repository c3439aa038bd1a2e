import { describe, expect, it } from 'vitest';
import { all, first, parseQuery, stringifyQuery } from './query';

describe('parseQuery', () => {
  it('reads pairs with or without the leading ?', () => {
    expect(parseQuery('?a=1&b=two')).toEqual({ a: '1', b: 'two' });
    expect(parseQuery('a=1')).toEqual({ a: '1' });
  });

  it('decodes plus as space and percent escapes', () => {
    expect(parseQuery('q=red+shoes&city=S%C3%A3o%20Paulo')).toEqual({ q: 'red shoes', city: 'São Paulo' });
  });

  it('collects repeated keys', () => {
    const q = parseQuery('tag=a&tag=b&x');
    expect(all(q, 'tag')).toEqual(['a', 'b']);
    expect(first(q, 'x')).toBe('');
  });

  it('names the pair with a malformed escape', () => {
    expect(() => parseQuery('ok=1&bad=%E0%A4%A')).toThrow('Malformed escape in query pair "bad=%E0%A4%A"');
  });
});

describe('stringifyQuery', () => {
  it('encodes spaces as plus and repeats arrays', () => {
    expect(stringifyQuery({ q: 'red shoes', tag: ['a', 'b'] })).toBe('q=red+shoes&tag=a&tag=b');
  });
});
