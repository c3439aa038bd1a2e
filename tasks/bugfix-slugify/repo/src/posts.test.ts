import { describe, expect, it } from 'vitest';
import { permalink, tagIndex, uniqueSlugs } from './posts';

const post = (title: string, iso: string, tags: string[] = []) => ({ title, publishedAt: new Date(iso), tags });

describe('permalink', () => {
  it('prefixes year and month', () => {
    expect(permalink(post('Release', '2024-03-09T10:00:00Z'))).toBe('/2024/03/release');
  });
});

describe('uniqueSlugs', () => {
  it('suffixes duplicates', () => {
    expect(uniqueSlugs(['Intro', 'intro', 'Other', 'INTRO'])).toEqual(['intro', 'intro-2', 'other', 'intro-3']);
  });

  it('names empty titles', () => {
    expect(uniqueSlugs(['???'])).toEqual(['untitled']);
  });
});

describe('tagIndex', () => {
  it('groups posts by tag, newest first', () => {
    const a = post('A', '2024-01-01T00:00:00Z', ['Node']);
    const b = post('B', '2024-02-01T00:00:00Z', ['node', 'css']);
    const index = tagIndex([a, b]);
    expect(index.get('node')).toEqual([b, a]);
    expect(index.get('css')).toEqual([b]);
  });
});
