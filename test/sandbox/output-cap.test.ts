import { describe, expect, it } from 'vitest';
import { OutputCap } from '../../src/sandbox/output-cap.ts';

describe('OutputCap', () => {
  it('keeps everything under the cap', () => {
    const cap = new OutputCap(100);
    cap.push(Buffer.from('hello '));
    cap.push(Buffer.from('world'));
    expect(cap.text()).toBe('hello world');
    expect(cap.bytesCut).toBe(0);
  });

  it('keeps head and tail, counts the middle and says so', () => {
    const cap = new OutputCap(10);
    for (const c of ['AAAA', 'ABBBBBBBBB', 'BBBBBCCCC', 'Z']) cap.push(Buffer.from(c));
    // 24 bytes seen: head 5 'AAAAA', tail 5 'CCCCZ', 14 cut.
    expect(cap.total).toBe(24);
    expect(cap.bytesCut).toBe(14);
    expect(cap.text()).toBe('AAAAA\n[… 14 bytes cut by the sandbox output cap …]\nCCCCZ');
  });

  it('a single huge chunk keeps bounded memory', () => {
    const cap = new OutputCap(1000);
    cap.push(Buffer.alloc(10_000_000, 'x'));
    expect(cap.bytesCut).toBe(10_000_000 - 1000);
    expect(cap.text().length).toBeLessThan(1100);
  });
});
