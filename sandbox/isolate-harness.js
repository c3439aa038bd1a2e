// Loaded into every isolate before the checks: a small expect API and check() registration.
// Plain ES2022, no host access. Results land in globalThis.__results as {name, passed, message?}.
'use strict';
const __checks = [];
globalThis.__results = [];
function check(name, fn) {
  if (typeof fn !== 'function') throw new TypeError(`check(${JSON.stringify(String(name))}): second argument must be a function`);
  __checks.push([String(name), fn]);
}
function __fmt(v) {
  if (typeof v === 'function') return '[Function]';
  if (typeof v === 'bigint') return `${v}n`;
  if (v === undefined) return 'undefined';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(v);
  }
}
function __eq(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof RegExp) return String(a) === String(b);
  if (a instanceof Map || a instanceof Set) {
    if (a.size !== b.size) return false;
    return __eq([...a.entries()], [...b.entries()]);
  }
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => __eq(x, b[i]));
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && __eq(a[k], b[k]));
}
function __errMessage(e) {
  return e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
}
function expect(actual) {
  const fail = (msg) => {
    throw new Error(msg);
  };
  const m = {
    toBe(e) {
      if (!Object.is(actual, e)) fail(`expected ${__fmt(actual)} to be ${__fmt(e)}`);
    },
    toEqual(e) {
      if (!__eq(actual, e)) fail(`expected ${__fmt(actual)} to equal ${__fmt(e)}`);
    },
    toThrow(want) {
      if (typeof actual !== 'function') fail('expect(fn).toThrow(): fn must be a function');
      let threw = false;
      let err;
      try {
        actual();
      } catch (x) {
        threw = true;
        err = x;
      }
      if (!threw) fail('expected function to throw');
      if (want !== undefined) {
        const msg = __errMessage(err);
        const ok = want instanceof RegExp ? want.test(msg) : msg.includes(String(want));
        if (!ok) fail(`expected error matching ${__fmt(String(want))}, got ${__fmt(msg)}`);
      }
    },
    toBeTruthy() {
      if (!actual) fail(`expected ${__fmt(actual)} to be truthy`);
    },
    toContain(x) {
      if (typeof actual !== 'string' && !Array.isArray(actual)) fail(`toContain needs a string or array, got ${__fmt(actual)}`);
      if (!actual.includes(x)) fail(`expected ${__fmt(actual)} to contain ${__fmt(x)}`);
    },
    toBeCloseTo(e, digits = 2) {
      if (typeof actual !== 'number' || !(Math.abs(e - actual) < 10 ** -digits / 2)) fail(`expected ${__fmt(actual)} to be close to ${__fmt(e)} (${digits} digits)`);
    },
  };
  const not = {};
  for (const [k, f] of Object.entries(m)) {
    not[k] = (...args) => {
      let passed = true;
      try {
        f(...args);
      } catch {
        passed = false;
      }
      if (passed) fail(`expected not.${k}(${args.map(__fmt).join(', ')}) on ${__fmt(actual)}`);
    };
  }
  return Object.assign(m, { not });
}
function __runChecks() {
  for (const [name, fn] of __checks) {
    try {
      const r = fn();
      if (r && typeof r.then === 'function') throw new Error('async checks are not supported: make the check synchronous');
      __results.push({ name, passed: true });
    } catch (e) {
      __results.push({ name, passed: false, message: __errMessage(e).slice(0, 500) });
    }
  }
  return JSON.stringify(__results);
}
