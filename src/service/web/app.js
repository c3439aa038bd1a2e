// patchloop's run viewer. Reads the public API with the key typed in once (kept in this tab's
// sessionStorage). Everything shown comes from runs (task text, diffs, model output): it is only ever
// set with textContent, never parsed as HTML.
'use strict';

const app = document.getElementById('app');
const keyOf = () => sessionStorage.getItem('patchloop-key');
let stopCurrent = () => {};

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return e;
}

async function api(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${keyOf()}` } });
  if (res.status === 401 || res.status === 403) {
    sessionStorage.removeItem('patchloop-key');
    route();
    throw new Error('key refused');
  }
  if (!res.ok) throw new Error(`${res.status} ${(await res.json()).error?.message ?? ''}`);
  return res.json();
}

function askKey() {
  const input = el('input', { type: 'password', placeholder: 'pl_…', id: 'key-input', autocomplete: 'off' });
  const form = el('form', { class: 'key' }, input, el('button', { type: 'submit' }, 'Open'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem('patchloop-key', input.value.trim());
    route();
  });
  app.replaceChildren(el('p', {}, 'API key (from patchloop keys create):'), form);
}

const fmtUsd = (n) => `$${Number(n).toFixed(4)}`;
const fmtTokens = (t) => String(t.input + t.output + t.cacheRead + t.cacheWrite);
const elapsed = (r) => {
  if (!r.startedAt) return '';
  const ms = (r.endedAt ? Date.parse(r.endedAt) : Date.now()) - Date.parse(r.startedAt);
  return `${(ms / 1000).toFixed(1)} s`;
};

function runsPage() {
  const body = el('tbody', { id: 'runs-body' });
  const table = el('table', { id: 'runs' },
    el('thead', {}, el('tr', {}, ...['status', 'repository', 'task'].map((h) => el('th', {}, h)), ...['iterations', 'tokens', 'USD', 'time'].map((h) => el('th', { class: 'num' }, h)))),
    body);
  const err = el('p', { class: 'error' });
  app.replaceChildren(el('h2', {}, 'Runs'), table, err);
  let timer;
  const load = async () => {
    try {
      const { runs } = await api('/v1/runs?limit=200');
      body.replaceChildren(...runs.map((r) => {
        const tr = el('tr', { class: 'run', 'data-id': r.id, 'data-status': r.status },
          el('td', { class: `status status-${r.status}` }, r.status),
          el('td', {}, r.repo.path ?? r.repo.url ?? ''),
          el('td', { class: 'task', title: r.task }, r.task),
          el('td', { class: 'num' }, r.iterations), el('td', { class: 'num' }, fmtTokens(r.tokens)),
          el('td', { class: 'num' }, fmtUsd(r.usd)), el('td', { class: 'num' }, elapsed(r)));
        tr.addEventListener('click', () => (location.hash = `#/runs/${r.id}`));
        return tr;
      }));
      err.textContent = '';
    } catch (e) {
      err.textContent = String(e.message);
    }
    timer = setTimeout(load, 2000);
  };
  load();
  return () => clearTimeout(timer);
}

/** Reads an SSE response body (fetch, so the key goes in a header), calling onEvent per event. */
async function readEvents(res, onEvent, signal) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  while (!signal.aborted) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (data) onEvent(JSON.parse(data));
    }
  }
}

function runPage(id) {
  const head = el('div', { class: 'figures', id: 'figures' });
  const timeline = el('div', { class: 'timeline', id: 'timeline' });
  const events = el('div', { id: 'events' });
  const status = el('span', { id: 'run-status', class: 'status' });
  app.replaceChildren(el('p', {}, el('a', { href: '#/' }, '← runs')), el('h2', {}, `Run ${id} `, status), head, el('h3', {}, 'States'), timeline, el('h3', {}, 'Steps'), events);
  const ac = new AbortController();
  let last = -1;
  let usd = 0;
  let tokens = 0;
  const figures = (extra) => head.replaceChildren(
    el('div', { id: 'fig-tokens' }, `tokens ${tokens}`), el('div', { id: 'fig-usd' }, `USD ${fmtUsd(usd)}`), ...(extra || []));
  const refresh = async () => {
    const r = await api(`/v1/runs/${id}`);
    status.textContent = r.status;
    status.className = `status status-${r.status}`;
    figures([el('div', {}, `iterations ${r.iterations}`), el('div', {}, r.task)]);
    return r;
  };
  const add = (e) => {
    last = e.seq;
    if (e.type === 'state') return timeline.append(el('span', { 'data-state': e.state }, e.state));
    const box = (title, cls, ...body) => events.append(el('div', { class: `event ${cls || ''}`, 'data-type': e.type, 'data-seq': String(e.seq) }, el('h3', {}, title), ...body));
    if (e.type === 'model_call') {
      tokens += e.usage.inputTokens + e.usage.outputTokens + e.usage.cacheReadTokens + e.usage.cacheWriteTokens;
      usd += e.usd;
      figures();
      const text = e.response.content.filter((b) => b.type === 'text').map((b) => b.text).join('\n');
      box(`model reply (step ${e.step}, ${e.phase}) — ${e.usage.outputTokens} output tokens, ${fmtUsd(e.usd)}`, '', ...(text ? [el('pre', {}, text)] : []));
    } else if (e.type === 'tool_call') box(`${e.name} ${e.ok ? '✓' : '✗'}`, e.ok ? 'ok' : 'bad', el('div', {}, e.display), ...(e.diff ? [el('pre', { class: 'diff' }, e.diff)] : []));
    else if (e.type === 'validation') box(`validation: ${e.findings.length} finding(s)`, e.findings.length ? 'bad' : 'ok', ...e.findings.map((f) => el('div', {}, `${f.file}:${f.line} ${f.validator}/${f.rule} ${f.message}`)));
    else if (e.type === 'test_run') box(`tests ${e.passed ? 'passed' : 'failed'}: ${e.counts.passed} passed, ${e.counts.failed} failed`, e.passed ? 'ok' : 'bad', ...e.failures.map((f) => el('div', {}, `${f.fullName}: ${f.message ?? ''}`)));
    else if (e.type === 'commit') box(`commit ${e.sha.slice(0, 12)} on ${e.branch}`, 'ok');
    else if (e.type === 'run_end') (box(`run ended: ${e.status}${e.reason ? ` (${e.reason})` : ''}`, e.status === 'resolved' ? 'ok' : 'bad'), refresh().catch(() => {}));
    // A webhook job's push, pull request and comment; the URL is shown as text, never made a link.
    else if (e.type === 'publish') box(`${e.action.replace('_', ' ')} ${e.ok ? '✓' : '✗'} ${e.key}`, e.ok ? 'ok' : 'bad', el('div', {}, e.error ?? e.url ?? e.sha ?? ''));
    else if (e.type === 'warning' || e.type === 'interrupted' || e.type === 'resume') box(e.type, '', el('div', {}, e.message ?? e.state ?? e.fromState ?? ''));
  };
  const stream = async () => {
    while (!ac.signal.aborted) {
      try {
        const res = await fetch(`/v1/runs/${id}/events`, { headers: { authorization: `Bearer ${keyOf()}`, 'last-event-id': String(last) }, signal: ac.signal });
        await readEvents(res, add, ac.signal);
        const r = await refresh();
        if (r.status !== 'queued' && r.status !== 'running') return;
      } catch (e) {
        if (ac.signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  refresh().catch(() => {});
  stream();
  return () => ac.abort();
}

function route() {
  stopCurrent();
  stopCurrent = () => {};
  if (!keyOf()) return askKey();
  const m = /^#\/runs\/([A-Za-z0-9-]+)$/.exec(location.hash);
  stopCurrent = m ? runPage(m[1]) : runsPage();
}

window.addEventListener('hashchange', route);
route();
