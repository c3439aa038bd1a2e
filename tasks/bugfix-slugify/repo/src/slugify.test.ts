import { describe, expect, it } from 'vitest';
import { slugify } from './slugify';

describe('slugify', () => {
  it('lower-cases a single word', () => {
    expect(slugify('TypeScript')).toBe('typescript');
  });

  it('folds accents', () => {
    expect(slugify('Crème brûlée')).toBe('creme-brulee');
  });

  it('trims leading and trailing punctuation', () => {
    expect(slugify('  "quoted" ')).toBe('quoted');
  });

  it('joins words that are separated by punctuation and spaces', () => {
    expect(slugify('Hello, World!')).toBe('hello-world');
  });

  it('cuts long slugs on a word boundary', () => {
    expect(slugify('one two three four', { maxLength: 12 })).toBe('one-two');
  });
});
