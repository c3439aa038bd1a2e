import { describe, expect, it } from 'vitest';
import { clampPageSize, MAX_PAGE_SIZE, toLimitOffset, toPage } from './pagination';

describe('clampPageSize', () => {
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

  it('starts page 1 at the first row', () => {
    expect(toLimitOffset({ page: 1, pageSize: 10 }).offset).toBe(0);
    expect(toLimitOffset({ page: 3, pageSize: 10 }).offset).toBe(20);
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
