/**
 * What the task points at, extracted from untrusted text (pure): identifiers and words of the task,
 * file paths it mentions, the failing tests' names and files, and stack-frame locations. These are
 * the personalisation of the repo map's PageRank; nothing here is executed or trusted.
 */

/** A location named by a stack frame or a path in the text; `line` when the frame has one. */
export interface NamedLocation { file: string; line?: number }

export interface TaskSignals {
  /** Identifiers as written (`parseURL`, `withBase`), for exact symbol matches. */
  identifiers: Set<string>;
  /** Dotted names as written (`Router.route`), for members of classes. */
  qualified: Set<string>;
  /** Normalised word stems (`parse`, `url`, `quot`), for fuzzy matches against names and paths. */
  words: Set<string>;
  /** Words from test names only (weaker evidence than the task's own words). */
  testWords: Set<string>;
  /** Repo-relative paths (or path suffixes) named in the text or by stack frames. */
  locations: NamedLocation[];
  /** Test files (repo-relative) of the failing tests. */
  testFiles: string[];
}

export interface SignalInput {
  task: string;
  /** Test ids (`src/a.test.ts::suite > name`), test file paths, or both. */
  tests?: string[];
  /** Failure output (stack traces, assertion messages). */
  failureText?: string;
}

const STOPWORDS = new Set(('the and for with that this from into when then than have has had not but are was were its '
  + 'can should would could will does did our your their they them you use used using get gets set add adds new old '
  + 'fix fixes fixed bug issue error errors test tests spec expect expected work works working make makes made also just '
  + 'like some any all one two there here what which where who why how only still more most each other same such via '
  + 'feat chore docs refactor perf src lib index function const let var return true false null undefined string number '
  + 'type types value values call calls called file files code support supports allow allows default instead').split(' '));

/** Lower-case stem: drops common English suffixes so `parser`, `parsing` and `parses` meet at `pars`. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ers', 'er', 'ies', 'es', 'ed', 'ly', 's', 'e']) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w;
}

/** Splits an identifier or path into word stems: `parseURLQuery` → `pars`, `url`, `query`. */
export function wordsOf(text: string): string[] {
  const parts = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/);
  const out: string[] = [];
  for (const p of parts) {
    const lower = p.toLowerCase();
    if (lower.length < 3 || STOPWORDS.has(lower) || /^\d+$/.test(lower)) continue;
    out.push(stem(lower));
  }
  return out;
}

const IDENT_RE = /[A-Za-z_$][\w$]{2,}/g;
const PATH_RE = /(?:[\w@.-]+\/)*[\w.-]+\.(?:[cm]?[jt]sx?)(?::(\d+)(?::\d+)?)?/g;

/** Paths and `file:line` locations in text; an absolute path keeps its folders (not the leading `/`): files match it by suffix. */
function locationsIn(text: string): NamedLocation[] {
  const out: NamedLocation[] = [];
  for (const m of text.matchAll(PATH_RE)) {
    const file = m[0].replace(/:\d+(:\d+)?$/, '').replace(/^\.\//, '');
    if (!file.includes('/') && !/\.[cm]?[jt]sx?$/.test(file)) continue;
    out.push({ file, ...(m[1] ? { line: Number(m[1]) } : {}) });
  }
  return out;
}

/** Extracts the signals of a task, its failing tests and their output. */
export function extractSignals(input: SignalInput): TaskSignals {
  const identifiers = new Set<string>();
  const words = new Set<string>();
  const testWords = new Set<string>();
  const locations: NamedLocation[] = [];
  const testFiles = new Set<string>();
  const task = input.task;
  for (const m of task.matchAll(IDENT_RE)) identifiers.add(m[0]);
  const qualified = new Set([...task.matchAll(/(?<![\w$/.-])([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)(?![\w$/.-])/g)]
    .filter((m) => !/^[cm]?[jt]sx?$|^json$|^md$/.test(m[2]!))
    .map((m) => `${m[1]}.${m[2]}`));
  for (const w of wordsOf(task)) words.add(w);
  locations.push(...locationsIn(task));
  for (const t of input.tests ?? []) {
    const [file, ...rest] = t.split('::');
    const name = rest.join('::');
    if (file && /\.[cm]?[jt]sx?$/.test(file)) testFiles.add(file.replace(/^\.\//, ''));
    for (const w of wordsOf(name || (file && !/\.[cm]?[jt]sx?$/.test(file) ? file : ''))) testWords.add(w);
    for (const m of name.matchAll(IDENT_RE)) if (/[A-Z_]|[a-z][A-Z]/.test(m[0].slice(1))) identifiers.add(m[0]);
  }
  if (input.failureText) {
    locations.push(...locationsIn(input.failureText).filter((l) => l.line !== undefined));
    for (const m of input.failureText.matchAll(/at (?:async )?([A-Za-z_$][\w$.]*) \(/g)) identifiers.add(m[1]!.split('.').at(-1)!);
  }
  return { identifiers, qualified, words, testWords, locations, testFiles: [...testFiles].sort() };
}
