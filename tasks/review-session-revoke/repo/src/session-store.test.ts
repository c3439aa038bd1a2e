import { describe, expect, it } from "vitest";
import { MemoryBackend } from "./backend";
import { ManualClock } from "./clock";
import { SessionStore } from "./session-store";

const MINUTE = 60_000;

function setup() {
  const clock = new ManualClock(1_700_000_000_000);
  const backend = new MemoryBackend();
  return { clock, backend, store: new SessionStore(backend, clock) };
}

describe("SessionStore", () => {
  it("returns a session it created", async () => {
    const { store } = setup();
    const session = await store.create("u1");
    expect(await store.get(session.token)).toEqual(session);
  });

  it("returns undefined for an unknown token", async () => {
    const { store } = setup();
    expect(await store.get("nope")).toBeUndefined();
  });

  it("drops a session once it has expired", async () => {
    const { clock, backend, store } = setup();
    const session = await store.create("u1");
    clock.advance(31 * MINUTE);
    expect(await store.get(session.token)).toBeUndefined();
    expect(await backend.tokens()).toEqual([]);
  });

  it("cannot touch a revoked session", async () => {
    const { store } = setup();
    const session = await store.create("u1");
    await store.revoke(session.token);
    expect(await store.touch(session.token)).toBe(false);
  });

  it("revokes every session of one user only", async () => {
    const { backend, store } = setup();
    await store.create("u1");
    await store.create("u1");
    const other = await store.create("u2");
    expect(await store.revokeAllForUser("u1")).toBe(2);
    expect(await backend.tokens()).toEqual([other.token]);
  });
});
