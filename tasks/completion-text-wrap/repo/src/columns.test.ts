import { describe, expect, it } from 'vitest';
import { alignRows } from './columns';

describe('alignRows', () => {
  it('aligns cells by display width', () => {
    expect(
      alignRows([
        ['name', 'size'],
        ['日本.txt', '3'],
      ]),
    ).toEqual(['name      size', '日本.txt  3']);
  });
});
