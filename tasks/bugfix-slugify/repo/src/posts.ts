import { slugify } from './slugify';

export interface Post {
  title: string;
  publishedAt: Date;
  tags: string[];
}

/** `/2024/03/hello-world`: year and month of publication (UTC) followed by the title's slug. */
export function permalink(post: Post): string {
  const year = post.publishedAt.getUTCFullYear();
  const month = String(post.publishedAt.getUTCMonth() + 1).padStart(2, '0');
  return `/${year}/${month}/${slugify(post.title, { maxLength: 60 })}`;
}

/** Slugs for a list of titles, suffixing `-2`, `-3`, … when two titles collide. */
export function uniqueSlugs(titles: string[]): string[] {
  const seen = new Map<string, number>();
  return titles.map((title) => {
    const base = slugify(title) || 'untitled';
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

/** Posts grouped by tag slug, newest first within each tag. */
export function tagIndex(posts: Post[]): Map<string, Post[]> {
  const index = new Map<string, Post[]>();
  for (const post of posts) {
    for (const tag of post.tags) {
      const key = slugify(tag);
      const list = index.get(key) ?? [];
      list.push(post);
      index.set(key, list);
    }
  }
  for (const list of index.values()) {
    list.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
  }
  return index;
}
