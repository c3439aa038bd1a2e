/**
 * Unix socket paths for the validation worker and server. Linux's `sun_path` holds 108 bytes
 * including the final NUL (unix(7), man-pages 6.9), and Node 20 binds a longer path silently
 * truncated (measured 2026-12-03: a 130-byte path under /tmp was bound as its first 107 bytes), so the listening and
 * the connecting side would use different files and never meet.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Longest socket path patchloop uses, bytes (sun_path's 107, with room to spare). */
export const MAX_SOCKET_PATH = 100;

/**
 * The first existing folder of `parents` under which `<parent>/<prefix>XXXXXX/<name>` (a
 * `mkdtemp` folder holding the socket) fits {@link MAX_SOCKET_PATH}; undefined when none does.
 */
export function socketParent(parents: string[], prefix: string, name: string): string | undefined {
  return parents.find((p) => Buffer.byteLength(path.join(p, `${prefix}XXXXXX`, name)) <= MAX_SOCKET_PATH && existsSync(p));
}
