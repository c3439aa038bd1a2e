import { describe, expect, it } from 'vitest';
import { clampPageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, toLimitOffset, toPage } from './pagination';

describe('clampPageSize', () => {
  it('uses the default when no size is given', () => {
    expect(clampPageSize(undefined)).toBe(DEFAULT_PAGE_SIZE);
    expect(clampPageSize(Number.NaN)).toBe(DEFAULT_PAGE_SIZE);
  });

  it('keeps sizes within 1..MAX_PAGE_SIZE', () => {
    expect(clampPageSize(0)).toBe(1);
    expect(clampPageSize(5000)).toBe(MAX_PAGE_SIZE);
    expect(clampPageSize(7.9)).toBe(7);
  });
});

describe('toLimitOffset', () => {
  it('fetches one row more than the page size', () => {
    expect(toLimitOffset({ pageSize: 10 }).limit).toBe(11);
  });
});

describe('toPage', () => {
  it('trims the look-ahead row and reports hasMore', () => {
    const page = toPage([1, 2, 3], 1, 2);
    expect(page.items).toEqual([1, 2]);
    expect(page.hasMore).toBe(true);
  });

  it('reports no more rows on a short page', () => {
    expect(toPage([1], 3, 2)).toEqual({ items: [1], page: 3, pageSize: 2, hasMore: false });
  });
});
