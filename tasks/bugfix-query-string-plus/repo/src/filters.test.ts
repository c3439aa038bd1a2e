import { describe, expect, it } from 'vitest';
import { toFilters } from './filters';
import { handleSearch } from './handler';
import { parseQuery } from './query';

describe('toFilters', () => {
  it('normalises tags and drops bad prices', () => {
    expect(toFilters(parseQuery('q=+lamp+&tag=Desk&tag=desk&min_price=-3&max_price=40&sort=price'))).toEqual({
      text: 'lamp',
      tags: ['desk'],
      minPrice: undefined,
      maxPrice: 40,
      sort: 'price',
    });
  });
});

describe('handleSearch', () => {
  it('passes filters to the backend', async () => {
    const seen: string[] = [];
    const res = await handleSearch('/search?q=lamp', async (f) => {
      seen.push(f.text);
      return [{ id: '1', title: 'Lamp' }];
    });
    expect(res.status).toBe(200);
    expect(seen).toEqual(['lamp']);
  });

  it('answers 400 for a malformed query', async () => {
    const res = await handleSearch('/search?q=%ZZ', async () => []);
    expect(res).toEqual({ status: 400, body: { error: 'Malformed escape in query pair "q=%ZZ"' } });
  });
});
