import { describe, expect, it } from 'vitest';
import { slugify } from './slugify';
import { permalink, tagIndex } from './posts';

describe('slugify', () => {
  it('collapses runs of separators into one', () => {
    expect(slugify('Rock  &  Roll -- Live')).toBe('rock-roll-live');
  });

  it('uses a custom separator once between words', () => {
    expect(slugify('Node.js: the good parts', { separator: '_' })).toBe('node_js_the_good_parts');
  });

  it('does not leave a trailing separator after truncation', () => {
    expect(slugify('Hello,  world and more', { maxLength: 13 })).toBe('hello-world');
  });
});

describe('posts with punctuated titles', () => {
  it('builds a clean permalink', () => {
    const post = { title: 'Q&A: ask me anything!', publishedAt: new Date('2023-11-30T23:00:00Z'), tags: [] };
    expect(permalink(post)).toBe('/2023/11/q-a-ask-me-anything');
  });

  it('indexes multi-word tags under one key', () => {
    const post = { title: 'x', publishedAt: new Date('2024-01-01T00:00:00Z'), tags: ['Web  Perf'] };
    expect([...tagIndex([post]).keys()]).toEqual(['web-perf']);
  });
});
