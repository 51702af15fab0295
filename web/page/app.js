// The hypercost browser calculator: a view over the wasm engine.
//
// Every figure, message and export comes from hypercost-core compiled to WebAssembly; this
// file only moves text between the form, the TOML editor and the results, and never computes
// a price. The estate TOML text is the single source of truth: form edits are applied to it by
// the engine's format-preserving editor (comments survive), and the form is redrawn from the
// engine's reading of the text.

import init, * as hc from './hypercost.js';

const $ = (id) => document.getElementById(id);
const state = {
  toml: '',
  baseline: '',
  good: null, // the last envelope that priced
  catalogues: new Map(), // purchase date -> catalogue
  badLines: new Set(), // lines with problems, marked in the editor's gutter
};
// For tests and the curious: the state and the engine, read-only by convention.
window.hypercost = state;

const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
};

function status(text, kind = '') {
  const s = $('status');
  s.textContent = text;
  s.className = 'status ' + kind;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

let cheapestTimer = 0;
let rangesTimer = 0;

/** Prices the current text; `from` is 'form', 'toml' or 'load' (which parts to redraw). */
function recompute(from) {
  const t0 = performance.now();
  let env;
  try {
    env = JSON.parse(hc.evaluate(state.toml, state.baseline));
  } catch (e) {
    // The engine answers every input with data; reaching here is a defect. Keep the page and
    // the last results, and say so plainly rather than going blank.
    status(`The engine failed on this estate (${e}). Please report it with the estate file; the results shown are from the last estate that priced.`, 'error');
    $('stale').hidden = state.good === null;
    return;
  }
  const ms = performance.now() - t0;
  state.last = env;
  if (env.ok) {
    state.good = env;
    $('reference-wrap').hidden = false;
    showProblems([]);
    $('stale').hidden = true;
    renderResults(env);
    if (from !== 'form') renderForm(env.estate);
    const n = env.estate.scenarios.length;
    const q = env.quote;
    const best = q.ranking.find((r) => r.compliant);
    const headline = best
      ? `Cheapest compliant: ${best.scenario}, ${money(best.total)} ${q.currency} over ${q.years} year${q.years === 1 ? '' : 's'}.`
      : 'No scenario is compliant.';
    status(`${headline} ${n} scenario${n === 1 ? '' : 's'} priced in ${ms.toFixed(1)} ms.`, 'ok');
    whatIfFields(env.estate);
    $('reshape').hidden = false;
    $('reshape-stale').hidden = !state.reshaped || state.reshaped === state.toml;
    clearTimeout(cheapestTimer);
    $('cheapest').setAttribute('aria-busy', 'true'); // until the search below catches up
    cheapestTimer = setTimeout(renderCheapest, 250);
    clearTimeout(rangesTimer);
    if ($('ranges-on').checked) rangesTimer = setTimeout(renderRanges, 350);
  } else if (env.diagnostics) {
    if (state.good === null) {
      // Opened on a broken estate (a link, a paste): show the text with its line numbers, and
      // say what the empty panels are waiting for rather than leaving them blank.
      $('form').replaceChildren(el('p', { class: 'hint', text: 'The form shows the estate once it reads without errors: fix the problems listed below in the TOML tab.' }));
      $('summary').replaceChildren(el('p', { class: 'waiting', text: 'Fix the problems in the estate to see what each scenario costs.' }));
      $('reference-wrap').hidden = true;
      if (from === 'load') selectTab('toml');
    }
    showProblems(env.diagnostics);
    $('stale').hidden = state.good === null;
    const n = env.diagnostics.length;
    status(`The estate has ${n} problem${n === 1 ? '' : 's'}: each is listed with its line and marked at its field.`, 'error');
  } else {
    status(`The engine could not start: ${env.fatal}`, 'error');
  }
}

// ---------------------------------------------------------------------------------------------
// Problems: listed under the editor with their line, and inline at the form field they name

function showProblems(list) {
  const box = $('toml-errors');
  box.replaceChildren();
  document.querySelectorAll('[aria-invalid="true"]').forEach((i) => i.removeAttribute('aria-invalid'));
  document.querySelectorAll('.field-error').forEach((e) => e.remove());
  state.badLines = new Set(list.map((d) => d.line));
  syncGutter();
  if (!list.length) return;
  const items = list.map((d) => {
    const where = el('button', {
      type: 'button', class: 'linkish', 'data-line': d.line,
      text: `line ${d.line}, column ${d.column}`,
      onclick: () => goToLine(d.line),
    });
    const help = d.help ? el('span', { class: 'help', text: ` ${d.help}` }) : null;
    return el('li', { class: d.severity }, where, ` ${d.field}: ${d.message}.`, help);
  });
  box.append(el('h3', { text: 'Problems in the estate' }), el('ul', {}, items));
  for (const d of list) {
    const input = document.querySelector(`[data-field="${CSS.escape(d.field)}"]`);
    if (!input) continue;
    input.setAttribute('aria-invalid', 'true');
    const id = `err-${d.field.replace(/[^a-z0-9]/gi, '-')}`;
    input.setAttribute('aria-describedby', id);
    input.closest('.field')?.append(el('p', { class: 'field-error', id, text: d.message + (d.help ? `: ${d.help}` : '') }));
  }
}

function goToLine(line) {
  selectTab('toml');
  const ta = $('toml');
  const lines = ta.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  ta.focus();
  ta.setSelectionRange(start, start + (lines[line - 1] ?? '').length);
  ta.scrollTop = Math.max(0, (line - 4) * parseFloat(getComputedStyle(ta).lineHeight || '18'));
  syncGutter();
}

// ---------------------------------------------------------------------------------------------
// Results

function renderResults(env) {
  const p = env.parts;
  $('summary').innerHTML = p.header + p.ranking; // askama-escaped fragments from the engine
  $('charts').innerHTML = p.charts;
  $('reference').innerHTML = p.reference;
  const sc = $('scenarios');
  sc.innerHTML = p.scenarios.join('');
  sc.querySelectorAll('section').forEach((section, i) => {
    const name = env.estate.scenarios[i]?.name;
    const h = section.querySelector('h2');
    if (!name || !h) return;
    h.after(el('p', {}, el('button', {
      type: 'button', class: 'explain', text: 'How was this computed?',
      onclick: () => showExplain(name),
    })));
  });
  renderBreakEven(env);
}

/**
 * Each total's P10–P90 when prices are what their sources allow (`hypercost quote --ranges`),
 * when asked: the ranking gets its error bars and the cumulative chart its fans once typing
 * stops, since the draws take longer than a keystroke's frame. The draws are in the full
 * engine module, fetched on first use. Skipped when the text changed meanwhile.
 */
async function renderRanges() {
  const toml = state.toml;
  let r;
  try {
    const engine = await fullEngine();
    r = JSON.parse(engine.ranges(toml));
  } catch (e) {
    status(`The full engine could not load: ${e}`, 'error');
    return;
  }
  if (!r.ok || state.toml !== toml || !state.good || !$('ranges-on').checked) return;
  $('summary').innerHTML = state.good.parts.header + r.parts.ranking;
  $('charts').innerHTML = r.parts.charts;
  const rs = r.ranges;
  const pct = (x) => `${(Number(x) * 100).toFixed(0)} %`;
  const top = rs.drivers.filter((d) => Number(d.share) >= 0.05).slice(0, 3);
  const decides = top.length
    ? ` What decides ${rs.measure}: ${top.map((d) => `${d.input} (${pct(d.share)})`).join(', ')}.`
    : '';
  $('summary').append(el('p', { class: 'hint ranges-note', 'data-draws': rs.draws,
    text: `Ranges from ${rs.draws.toLocaleString('en')} draws of the prices their sources allow (hypercost uncertainty).${decides}` }));
  status(`Ranges drawn: P10–P90 of each total over ${rs.draws.toLocaleString('en')} draws.`, 'ok');
}

function renderBreakEven(env) {
  const box = $('breakeven');
  const c = env.compare;
  if (!c) { box.hidden = true; return; }
  box.hidden = false;
  const sel = $('baseline');
  sel.replaceChildren(...env.estate.scenarios.map((s) =>
    el('option', { value: s.name, text: s.name, selected: s.name === c.baseline })));
  $('breakeven-list').replaceChildren(...c.break_even.map((b) =>
    el('li', { 'data-scenario': b.scenario, text: b.text })));
}

// ---------------------------------------------------------------------------------------------
// What if: a sweep of one estate number, computed by the engine (`hypercost sweep`)

let whatIfTimer = 0;

/** The numbers the what-if can vary, from the estate the engine read; keeps the choice. */
function whatIfFields(e) {
  $('whatif').hidden = false;
  const sel = $('whatif-field');
  const options = [];
  for (const c of e.clusters) {
    for (const f of state.fields.cluster) {
      const value = c.numbers[f.key];
      if (value === null || value === undefined) continue;
      options.push({ value: `${c.name}.${f.key}`, label: `${c.name}: ${f.label}`, current: value });
    }
  }
  options.push({ value: 'years', label: 'years of the horizon', current: e.years });
  for (const f of state.fields.costs) {
    const value = e.costs[f.key];
    if (value !== null) options.push({ value: `costs.${f.key}`, label: f.label, current: value });
  }
  const key = options.map((o) => `${o.value}=${o.current}`).join('|');
  if (sel.dataset.key !== key) {
    const chosen = sel.value;
    sel.dataset.key = key;
    sel.replaceChildren(...options.map((o) => el('option', { value: o.value, 'data-current': o.current, text: o.label })));
    if (options.some((o) => o.value === chosen)) sel.value = chosen;
    else if (options.length) setWhatIfRange();
  }
  scheduleWhatIf();
}

/** A range around the chosen number's value: half to double, about ten steps. */
function setWhatIfRange() {
  const current = Number($('whatif-field').selectedOptions[0]?.dataset.current ?? 1);
  const from = Math.max(1, Math.floor(current / 2));
  const to = Math.max(from + 1, current * 2);
  $('whatif-from').value = from;
  $('whatif-to').value = to;
  $('whatif-step').value = Math.max(1, Math.round((to - from) / 10));
}

function scheduleWhatIf() {
  clearTimeout(whatIfTimer);
  whatIfTimer = setTimeout(runWhatIf, 200);
}

function runWhatIf() {
  const [field, from, to, step] = ['field', 'from', 'to', 'step'].map((k) => $(`whatif-${k}`).value.trim());
  if (!field || !/^\d+$/.test(from) || !/^\d+$/.test(to) || !/^\d+$/.test(step)) return;
  const spec = `${field}=${from}..${to}:${step}`;
  let r;
  try { r = JSON.parse(hc.sweep(state.toml, spec)); } catch (e) { r = { ok: false, error: String(e) }; }
  const said = $('whatif-said');
  if (!r.ok) {
    said.textContent = r.error ?? 'The estate has problems: fix them first.';
    said.className = 'whatif-said error';
    $('whatif-body').replaceChildren();
    return;
  }
  const sw = r.sweep;
  said.className = 'whatif-said';
  said.textContent = sw.crossovers.length
    ? sw.crossovers.map((c) => c.text).join(' ')
    : nowhere(sw);
  const label = (i) => `S${i + 1}`;
  const head = el('tr', {},
    el('th', { scope: 'col', text: field.split('.').pop().replace(/_/g, ' ') }),
    sw.scenarios.map((n, i) => el('th', { scope: 'col', class: 'hc-r', title: n, text: label(i) })),
    el('th', { scope: 'col', text: 'Cheapest' }));
  const rows = sw.points.map((p) => el('tr', { 'data-value': p.values[0] },
    el('th', { scope: 'row', class: 'hc-num', text: p.values[0] }),
    p.totals.map((t) => el('td', {
      class: `hc-r hc-num${t.compliant ? '' : ' hc-muted'}`, 'data-total': t.total,
      text: money(t.total) + (t.compliant ? '' : '*'),
    })),
    el('td', { text: p.cheapest ? label(sw.scenarios.indexOf(p.cheapest)) : '—' })));
  $('whatif-body').replaceChildren(
    scroller('What-if totals, table', el('table', { class: 'hc-table whatif-table' },
      el('caption', { class: 'visually-hidden', text: `Total over ${sw.years} years (${sw.currency}) as ${field} varies` }),
      el('thead', {}, head), el('tbody', {}, rows))),
    el('p', { class: 'hint', text: `Totals over ${sw.years} years in ${sw.currency}; * not compliant at that value.` }),
    el('ol', { class: 'whatif-legend' }, sw.scenarios.map((n) => el('li', { text: n }))));
}

function nowhere(sw) {
  const first = sw.points[0]?.cheapest;
  if (first && sw.points.every((p) => p.cheapest === first)) {
    return `Nowhere: ${first} is the cheapest compliant scenario at every value.`;
  }
  return 'No scenario is compliant at any of these values.';
}

function showExplain(name) {
  let text;
  try { text = hc.explain(state.toml, name, 'table'); } catch (e) { text = String(e); }
  $('explain-title').textContent = `How “${name}” was computed`;
  $('explain-text').textContent = text;
  $('explain').showModal();
}

function renderCheapest() {
  const env = state.good;
  if (!env) return;
  const box = $('cheapest');
  let c;
  try {
    c = JSON.parse(hc.cheapest(state.toml));
  } catch {
    c = {}; // a defect in the search: hide the panel rather than show a stale one
  }
  box.removeAttribute('aria-busy');
  if (!c.clusters) { box.hidden = true; return; }
  box.hidden = false;
  const cur = c.currency;
  $('cheapest-body').replaceChildren(...c.clusters.map((cl) => {
    const rows = cl.winners.map((w) => el('tr', {},
      el('td', { class: 'hc-r', text: String(w.rank) }),
      el('th', { scope: 'row' }, w.edition_name, el('div', { class: 'hc-muted', text: w.option })),
      el('td', { class: 'hc-r hc-num', 'data-total': w.total, text: money(w.total) }),
      el('td', {}, el('button', {
        type: 'button', text: 'Add as scenario',
        onclick: () => addScenarioFrom(cl.cluster, w),
      }))));
    const table = rows.length
      ? scroller(`Cheapest options for ${cl.cluster}, table`, el('table', { class: 'hc-table' },
          el('thead', {}, el('tr', {},
            el('th', { scope: 'col', class: 'hc-r', text: 'Rank' }),
            el('th', { scope: 'col', text: 'Option' }),
            el('th', { scope: 'col', class: 'hc-r', text: `Total (${cur})` }),
            el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', text: 'Use' })))),
          el('tbody', {}, rows)))
      : el('p', { text: 'No option meets every need of this cluster.' });
    const rejected = cl.rejected.length
      ? el('details', {}, el('summary', { text: `${cl.rejected.length} options rejected, and why` }),
          el('ul', {}, cl.rejected.map((r) => el('li', {}, el('strong', { text: r.option }), `: ${r.problems.map((p) => p.message).join('; ')}`))))
      : null;
    return el('div', { class: 'cheapest-cluster' },
      el('h3', { text: `${cl.cluster}: ${cl.shape}` }),
      el('p', { class: 'hint', text: `${cl.compliant} of ${cl.options} options are compliant${cl.needs.length ? ` with the needs ${cl.needs.join(', ')}` : ''}.` }),
      table, rejected);
  }));
}

// ---------------------------------------------------------------------------------------------
// Reshape: each cluster's cheapest host shapes per edition (`hypercost reshape`), from the
// bundled hardware catalogue; the search is in the full engine module, fetched on first use.

async function runReshape() {
  const body = $('reshape-body');
  const button = $('reshape-run');
  button.disabled = true;
  body.replaceChildren(el('p', { class: 'hint', text: 'Pricing every server, CPU and RAM size of the catalogue…' }));
  try {
    const engine = await fullEngine();
    status('');
    const toml = state.toml;
    let r;
    try { r = JSON.parse(engine.reshape(toml, '{}')); } catch (err) { r = { ok: false, error: String(err) }; }
    state.reshaped = toml;
    $('reshape-stale').hidden = true;
    if (!r.ok) {
      body.replaceChildren(reshapeProblems(r));
      return;
    }
    const rs = r.reshape;
    const names = editionNames();
    body.replaceChildren(...rs.clusters.map((cl, i) => reshapeCluster(cl, rs, names, r.charts[i])),
      rs.notes.length ? el('ul', { class: 'hint reshape-notes' }, rs.notes.map((n) => el('li', { text: n }))) : null);
    status(`Host shapes found for ${rs.clusters.length} cluster${rs.clusters.length === 1 ? '' : 's'} from catalogue ${rs.catalogue}.`, 'ok');
  } catch (err) {
    body.replaceChildren(el('p', { class: 'error', text: `The full engine could not load: ${err}` }));
  } finally {
    button.disabled = false;
  }
}

/** A refusal as the estate's problems are listed: where (line, when the text has one) and what. */
function reshapeProblems(r) {
  const list = r.diagnostics ?? [{ field: r.fatal ? 'engine' : 'options', message: r.error ?? r.fatal, line: 0 }];
  return el('div', { class: 'errors' }, el('h3', { text: 'Reshaping needs more of the estate' }),
    el('ul', {}, list.map((d) => el('li', { class: d.severity },
      d.line ? el('button', { type: 'button', class: 'linkish', 'data-line': d.line, text: `line ${d.line}, column ${d.column}`, onclick: () => goToLine(d.line) }) : null,
      `${d.line ? ' ' : ''}${d.field}: ${d.message}.`,
      d.help ? el('span', { class: 'help', text: ` ${d.help}` }) : null))));
}

/** Edition id → its name in the pricebooks on sale at the purchase date. */
function editionNames() {
  const date = state.good?.estate.purchase_date;
  const names = new Map();
  if (date) for (const b of catalogue(date).books) for (const ed of b.editions) names.set(ed.id, ed.name);
  return names;
}

const shapeText = (o) => `${o.sockets_per_host} × ${o.cores_per_socket} cores`;
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function reshapeCluster(cl, rs, names, chart) {
  const cur = rs.currency;
  const editions = cl.crossover.map((c) => c.edition);
  const rows = editions.map((edition) => {
    const best = cl.options.find((o) => o.edition === edition); // sorted by total: the cheapest
    const base = cl.baseline.find((o) => o.edition === edition);
    const name = names.get(edition) ?? edition;
    const asIs = base
      ? el('td', { class: 'hc-r hc-num', 'data-baseline': base.total, title: base.why },
          money(base.total), el('div', { class: 'hc-muted', text: `${plural(base.hosts, 'host')}, ${shapeText(base)}` }))
      : el('td', { class: 'hc-r hc-muted', text: 'not compliant' });
    // Why each figure is what it is, in the engine's words: the shape's and the hosts' as they are.
    const why = el('details', { class: 'reshape-why' }, el('summary', { text: `Why: ${name}` }),
      best ? el('p', { text: `Best shape: ${best.why}. Of its total, software ${money(best.software)} and hardware ${money(best.hardware)} ${cur}.` }) : null,
      base ? el('p', { text: `As it is: ${base.why}.` }) : null);
    const edCell = el('th', { scope: 'row', title: edition, text: name });
    const whyRow = el('tr', { class: 'reshape-why-row' }, el('td', { colspan: 8 }, why));
    if (!best) {
      return [el('tr', { 'data-edition': edition }, edCell,
        el('td', { colspan: 6, class: 'hc-muted', text: 'No shape of the catalogue is compliant for this workload.' }),
        asIs), whyRow];
    }
    return [el('tr', { 'data-edition': edition }, edCell,
      el('td', { text: best.server }),
      el('td', { text: best.cpu }),
      el('td', { class: 'hc-r hc-num', text: String(best.hosts) }),
      el('td', { class: 'hc-num', text: shapeText(best) }),
      el('td', { class: 'hc-r hc-num', text: best.ram_gb_per_host === null ? '—' : `${best.ram_gb_per_host} GB` }),
      el('td', { class: 'hc-r hc-num reshape-best', 'data-total': best.total, title: best.why, text: money(best.total) }),
      asIs), whyRow];
  });
  const table = scroller(`Host shapes for ${cl.cluster}, table`, el('table', { class: 'hc-table reshape-table' },
    el('caption', { class: 'visually-hidden', text: `The cheapest host shape per edition for ${cl.cluster}, beside its hosts as they are (${cur}, over the horizon)` }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: 'Edition' }),
      el('th', { scope: 'col', text: 'Server' }),
      el('th', { scope: 'col', text: 'CPU' }),
      el('th', { scope: 'col', class: 'hc-r', text: 'Hosts' }),
      el('th', { scope: 'col', text: 'Shape' }),
      el('th', { scope: 'col', class: 'hc-r', text: 'RAM per host' }),
      el('th', { scope: 'col', class: 'hc-r', text: `Total (${cur})` }),
      el('th', { scope: 'col', class: 'hc-r', text: `As it is (${cur})` }))),
    el('tbody', {}, rows.flat())));
  return el('div', { class: 'reshape-cluster', 'data-cluster': cl.cluster },
    el('h3', { text: `${cl.cluster}: ${plural(cl.vms, 'VM')}, ${plural(cl.vcpus, 'vCPU')}, ${cl.vm_ram_gb} GB RAM per VM` }),
    table,
    crossoverFragment(chart));
}

/**
 * The crossover chart, legend and figures of one cluster, as the engine draws them for the HTML
 * report (`html::crossover`): one drawing, the report's colours, scale and markers.
 */
function crossoverFragment(html) {
  if (!html) return null;
  const div = el('div', { class: 'hc-report reshape-crossover' });
  div.innerHTML = html;
  return div;
}

function money(text) {
  const [i, f] = text.split('.');
  const neg = i.startsWith('-');
  const digits = neg ? i.slice(1) : i;
  return (neg ? '−' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (f ? `.${f}` : '');
}

// ---------------------------------------------------------------------------------------------
// Editing: the form sends edits to the engine's TOML editor; the TOML tab is the text itself

function applyEdits(edits, { redraw = false } = {}) {
  const r = JSON.parse(hc.edit(state.toml, JSON.stringify(edits)));
  if (!r.ok) { status(`That change could not be applied: ${r.error}`, 'error'); return false; }
  setToml(r.toml, redraw ? 'load' : 'form');
  return true;
}

function setToml(text, from) {
  state.toml = text;
  if (from !== 'toml') {
    $('toml').value = text;
    syncGutter();
  }
  recompute(from);
}

const integer = (n) => ({ integer: n });
const text = (s) => ({ text: s });

function catalogue(date) {
  if (!state.catalogues.has(date)) state.catalogues.set(date, JSON.parse(hc.catalogue(date)));
  return state.catalogues.get(date);
}

let fieldSeq = 0;
function field(label, input, hintText) {
  const id = `f${++fieldSeq}`;
  input.id = id;
  return el('div', { class: 'field' }, el('label', { for: id, text: label }), input,
    hintText ? el('span', { class: 'hint', text: hintText }) : null);
}

function numberInput(path, value, { min = 0, max, optional = false } = {}) {
  const input = el('input', {
    type: 'number', inputmode: 'numeric', min, max, step: 1,
    value: value ?? '', 'data-field': path,
  });
  input.addEventListener('input', () => {
    const v = input.value.trim();
    if (v === '' && optional) { applyEdits([{ remove: path }]); return; }
    if (!/^\d+$/.test(v)) return; // mid-typing; the browser's own validation shows
    applyEdits([{ set: path, value: integer(Number(v)) }]);
  });
  return input;
}

function textInput(path, value) {
  const input = el('input', { type: 'text', value, 'data-field': path, autocomplete: 'off' });
  input.addEventListener('change', () => applyEdits([{ set: path, value: text(input.value) }], { redraw: true }));
  return input;
}

function renderForm(e) {
  fieldSeq = 0;
  const cat = catalogue(e.purchase_date);
  const form = $('form');
  const estate = el('fieldset', { class: 'group' }, el('legend', { text: 'Estate' }),
    el('div', { class: 'grid' },
      field('Name', textInput('name', e.name)),
      field('Purchase date', dateInput('purchase_date', e.purchase_date)),
      field('Years', numberInput('years', e.years, { min: 1, max: 30 })),
      field('Region', regionSelect(e.region, cat.regions), 'where regional rules are judged'),
      field('Currency', el('input', { type: 'text', value: e.currency, readonly: true, 'data-field': 'currency' }), 'edit in TOML')));
  const clusters = el('fieldset', { class: 'group' }, el('legend', { text: 'Clusters of identical hosts' }),
    e.clusters.map((c, i) => clusterForm(c, i, e, cat)),
    el('button', { type: 'button', class: 'add', text: '+ Add a cluster', onclick: () => applyChange({ add_cluster: null }) }));
  const scenarios = el('fieldset', { class: 'group' }, el('legend', { text: 'Scenarios' }),
    e.scenarios.map((s, i) => scenarioForm(s, i, e)),
    el('button', { type: 'button', class: 'add', text: '+ Add a scenario', onclick: () => addScenario(e) }));
  const focused = document.activeElement?.dataset?.field;
  form.replaceChildren(estate, clusters, contractsForm(e, cat), scenarios, costsForm(e), sizingForm(e));
  if (focused) document.querySelector(`[data-field="${CSS.escape(focused)}"]`)?.focus();
}

/** `region`: the engine's list of regions; "not stated" leaves it out (every regional rule applies). */
function regionSelect(region, regions) {
  const input = el('select', { 'data-field': 'region' },
    el('option', { value: '', text: 'not stated' }),
    regions.map((r) => el('option', { value: r, text: r, selected: r === region })));
  input.addEventListener('change', () => applyEdits([input.value
    ? { set: 'region', value: text(input.value) }
    : { remove: 'region' }]));
  return input;
}

/** A plan's `term_years`, for an edition sold on terms (the catalogue's `terms`); none otherwise. */
function termSelect(path, offer, years) {
  if (!offer?.terms) return null;
  const chosen = years ?? offer.default_term;
  const input = el('select', { 'data-field': path },
    offer.terms.map((y) => el('option', {
      value: y, selected: y === chosen,
      text: `${y} year${y === 1 ? '' : 's'}${y === offer.default_term ? ' (default)' : ''}`,
    })));
  input.addEventListener('change', () => applyEdits([{ set: path, value: integer(Number(input.value)) }]));
  return input;
}

/**
 * `[[contract]]`: the agreements in force on the purchase date. A plan that keeps a contract's
 * item renews it the day after it ends; one that leaves it renews it while the move runs.
 */
function contractsForm(e, cat) {
  const subscriptions = cat.books.flatMap((b) => [...b.editions, ...b.addons].filter((o) => o.subscription));
  const rows = e.contracts.map((c, k) => {
    const p = `contract[${k}]`;
    const item = el('select', { 'data-field': `${p}.item` },
      subscriptions.map((o) => el('option', { value: o.id, text: o.name, selected: o.id === c.item })));
    if (!subscriptions.some((o) => o.id === c.item)) item.prepend(el('option', { value: c.item, text: c.item, selected: true }));
    item.addEventListener('change', () => applyEdits([{ set: `${p}.item`, value: text(item.value) }], { redraw: true }));
    const price = decimalInput(`${p}.price_per_unit_year`, c.price_per_unit_year);
    return el('fieldset', { class: 'contract' }, el('legend', { text: `Contract ${c.name}` }),
      el('div', { class: 'grid' },
        field('Name', textInput(`${p}.name`, c.name)),
        field('Licenses', item),
        field('Ends on', dateInput(`${p}.ends`, c.ends), 'last day covered; renewals start the day after'),
        field('Price per unit-year', price, `${e.currency}; empty: list price`)),
      checkList('needs', 'Covers', `${p}.clusters`, c.clusters,
        e.clusters.map((cl) => ({ value: cl.name, label: cl.name }))),
      el('button', { type: 'button', class: 'remove', text: `Remove contract ${c.name}`,
        onclick: () => applyEdits([{ remove: p }], { redraw: true }) }));
  });
  const add = () => {
    const first = e.scenarios[0]?.plans[0]?.edition;
    const item = subscriptions.some((o) => o.id === first) ? first : subscriptions[0]?.id;
    if (!item) { status('No subscription is on sale at this date for a contract to license.', 'error'); return; }
    applyEdits([{ append: 'contract', fields: [
      ['name', text(`Contract ${e.contracts.length + 1}`)], ['item', text(item)],
      ['clusters', { list: e.clusters.map((cl) => cl.name) }], ['ends', { date: e.purchase_date }],
    ] }], { redraw: true });
  };
  return el('fieldset', { class: 'group contracts' }, el('legend', { text: 'Contracts in force' }),
    e.contracts.length ? null : el('p', { class: 'hint', text: 'None: every plan buys from the purchase date. Add the agreement you hold to price renewals and moves.' }),
    rows,
    el('button', { type: 'button', class: 'add', text: '+ Add a contract', onclick: add }));
}

/** `[costs]`: the numbers that turn a licence quote into a total cost of ownership. */
function costsForm(e) {
  const any = Object.values(e.costs).some((v) => v !== null);
  const fields = state.fields.costs.map((f) => numberField(f, `costs.${f.key}`, e.costs[f.key], e.currency));
  return el('details', { class: 'group costs', open: any },
    el('summary', { text: 'Costs beyond licences (TCO)' }),
    el('fieldset', {}, el('legend', { class: 'visually-hidden', text: 'Costs beyond licences' }),
      el('p', { class: 'hint', text: 'Leave a field empty to leave it out; the report lists every assumption in use, defaults included.' }),
      el('div', { class: 'grid' }, fields)));
}

/** `[sizing]`: how "Reshape the hosts" sizes hosts for a workload; quotes do not use it. */
function sizingForm(e) {
  const any = Object.values(e.sizing).some((v) => v !== null);
  const fields = state.fields.sizing.map((f) => numberField(f, `sizing.${f.key}`, e.sizing[f.key], e.currency));
  return el('details', { class: 'group costs sizing', open: any },
    el('summary', { text: 'Host sizing (for reshaping)' }),
    el('fieldset', {}, el('legend', { class: 'visually-hidden', text: 'Host sizing' }),
      el('p', { class: 'hint', text: 'How “Reshape the hosts” turns a cluster’s VMs, vCPUs and RAM into hosts; quotes do not use these. Leave a field empty for its default.' }),
      el('div', { class: 'grid' }, fields)));
}

/**
 * One declared estate number (`hc.fields()`): its label, input, and a hint from its unit,
 * kind and default. The declaration lives in the engine; nothing here names a field.
 */
function numberField(f, path, value, currency) {
  const b = f.bounds;
  const input = b.integer
    ? numberInput(path, value, { min: b.min, max: b.max ?? undefined, optional: !f.required })
    : decimalInput(path, value);
  // A count's unit repeats its label (Hosts: hosts); money shows the estate's currency.
  const unit = { count: '', money: `${currency} ${f.unit}`, unit_price: `${currency} ${f.unit}` }[f.kind] ?? f.unit;
  const hint = [unit, f.kind === 'fraction' ? '0.05 = 5 %' : '', f.default === null ? '' : `default ${f.default}`]
    .filter((x) => x).join(', ');
  const label = field(f.label, input, hint);
  label.title = f.doc.replace(/\s+/g, ' ').trim();
  return label;
}

function decimalInput(path, value) {
  const input = el('input', { type: 'text', inputmode: 'decimal', value: value ?? '', 'data-field': path, autocomplete: 'off' });
  input.addEventListener('input', () => {
    const v = input.value.trim();
    if (v === '') { applyEdits([{ remove: path }]); return; }
    // Sent as text, so 0.1 stays exactly 0.1: the engine never sees a float.
    if (/^\d+(\.\d+)?$/.test(v)) applyEdits([{ set: path, value: { decimal: v } }]);
  });
  return input;
}

function dateInput(path, value, { optional = false } = {}) {
  const input = el('input', { type: 'date', value: value ?? '', 'data-field': path, min: '1990-01-01', max: '2100-12-31' });
  input.addEventListener('change', () => {
    if (input.value === '' && optional && value) applyEdits([{ remove: path }], { redraw: true });
    else if (/^\d{4}-\d{2}-\d{2}$/.test(input.value)) applyEdits([{ set: path, value: { date: input.value } }], { redraw: true });
  });
  return input;
}

function clusterForm(c, i, e, cat) {
  const p = `cluster[${i}]`;
  const needs = checkList('needs', 'Needs', `${p}.needs`, c.needs,
    cat.needs.map((n) => ({ value: n.tag, label: n.tag, title: n.what })));
  return el('fieldset', { class: 'cluster' }, el('legend', { text: `Cluster ${c.name}` }),
    el('div', { class: 'grid' },
      field('Name', clusterName(i, c.name)),
      state.fields.cluster.map((f) => numberField(f, `${p}.${f.key}`, c.numbers[f.key], e.currency))),
    needs,
    e.clusters.length > 1
      ? el('button', { type: 'button', class: 'remove', text: `Remove cluster ${c.name}`, onclick: () => applyChange({ remove_cluster: i }) })
      : null);
}

/** A group of checkboxes editing one list field (`needs`, `addons`) as a whole. */
function checkList(cls, legend, path, chosen, items) {
  const box = el('fieldset', { class: cls, 'data-field': path }, el('legend', { text: legend }),
    items.map((item) => {
      const id = `${path}-${item.value}`.replace(/[^a-z0-9-]/gi, '-');
      const input = el('input', { type: 'checkbox', id, value: item.value, checked: chosen.includes(item.value) });
      input.addEventListener('change', () => {
        const list = [...box.querySelectorAll('input:checked')].map((x) => x.value);
        applyEdits([{ set: path, value: { list } }]);
      });
      return el('label', { class: 'check', for: id, title: item.title }, input, ` ${item.label}`);
    }));
  return box;
}

/** A cluster's name, renamed together with every plan that names it. */
function clusterName(i, name) {
  const input = el('input', { type: 'text', value: name, 'data-field': `cluster[${i}].name`, autocomplete: 'off' });
  input.addEventListener('change', () => applyChange({ rename_cluster: [i, input.value] }));
  return input;
}

function scenarioForm(s, i, e) {
  const cat = catalogue(s.purchase_date);
  const onSale = cat.books.filter((b) => b.on_sale);
  const plans = s.plans.map((plan, j) => {
    const p = `scenario[${i}].plan[${j}]`;
    const bookId = plan.edition.split('/')[0];
    const book = cat.books.find((b) => b.id === bookId);
    const offerOf = (id) => onSale.flatMap((b) => b.editions).find((ed) => ed.id === id);
    const edition = el('select', { 'data-field': `${p}.edition` },
      onSale.map((b) => el('optgroup', { label: `${b.name} (${b.currency})` },
        b.editions.map((ed) => el('option', { value: ed.id, text: ed.name, selected: ed.id === plan.edition })))));
    if (!onSale.some((b) => b.editions.some((ed) => ed.id === plan.edition))) {
      edition.prepend(el('option', { value: plan.edition, text: `${plan.edition} (not on sale at ${s.purchase_date})`, selected: true }));
    }
    edition.addEventListener('change', () => {
      const newBook = edition.value.split('/')[0];
      const edits = [{ set: `${p}.edition`, value: text(edition.value) }];
      // Another book's support plans differ: the old one would not resolve.
      if (newBook !== bookId && plan.support) edits.push({ remove: `${p}.support` });
      // A term the new edition does not sell would not read.
      if (plan.term_years && !offerOf(edition.value)?.terms?.includes(plan.term_years)) edits.push({ remove: `${p}.term_years` });
      applyEdits(edits, { redraw: true });
    });
    const support = el('select', { 'data-field': `${p}.support` },
      el('option', { value: '', text: 'none' }),
      (book?.support ?? []).map((sp) => el('option', { value: sp.id, text: sp.name, selected: sp.id === plan.support })));
    support.addEventListener('change', () => applyEdits([support.value
      ? { set: `${p}.support`, value: text(support.value) }
      : { remove: `${p}.support` }]));
    const addonList = onSale.flatMap((b) => b.addons);
    const addons = addonList.length
      ? checkList('addons', 'Add-ons', `${p}.addons`, plan.addons,
        addonList.map((a) => ({ value: a.id, label: a.name })))
      : el('fieldset', { class: 'addons', 'data-field': `${p}.addons` }, el('legend', { text: 'Add-ons' }),
        el('p', { class: 'hint', text: 'No add-ons on sale at this date.' }));
    const term = termSelect(`${p}.term_years`, offerOf(plan.edition), plan.term_years);
    return el('div', { class: 'plan' },
      el('h3', { text: `Cluster ${plan.cluster}` }),
      el('div', { class: 'grid' },
        field('Edition', edition),
        field('Support', support),
        term && field('Term', term),
        field('Move starts', dateInput(`${p}.start`, plan.start, { optional: true }),
          plan.start ? 'both platforms run from here' : 'empty: the purchase date'),
        field('Migration months', numberInput(`${p}.migration_months`, plan.migration_months || null, { min: 0, optional: true }),
          'old and new both paid')),
      addons);
  });
  const bought = dateInput(`scenario[${i}].purchase_date`, s.own_date ? s.purchase_date : null, { optional: true });
  return el('fieldset', { class: 'scenario' }, el('legend', { text: s.name }),
    el('div', { class: 'grid' },
      field('Scenario name', textInput(`scenario[${i}].name`, s.name)),
      field('Bought on', bought, s.own_date ? 'its own date' : `empty: the estate's (${e.purchase_date})`)),
    plans,
    rulesForm(s, i, e, cat),
    s.plans.some((plan) => plan.moves) ? scheduleForm(s) : null,
    e.scenarios.length > 1
      ? el('button', { type: 'button', class: 'remove', text: `Remove scenario ${s.name}`, onclick: () => applyEdits([{ remove: `scenario[${i}]` }], { redraw: true }) })
      : null);
}

/**
 * The pricebook rules in force for a scenario's editions (the catalogue's `rules`), each
 * switchable for this scenario alone (`[[scenario.rule]]`, with its reason), so "with the
 * rule" and "without" sit side by side. A box shows what the engine applies: the scenario's
 * switch, else the estate's, else the rule's default.
 */
function rulesForm(s, i, e, cat) {
  const used = new Set(s.plans.map((plan) => plan.edition.split('/')[0]));
  const rules = cat.books.filter((b) => used.has(b.id)).flatMap((b) => b.rules);
  if (!rules.length) return null;
  const p = `scenario[${i}].rule`;
  return el('fieldset', { class: 'rules', 'data-field': p }, el('legend', { text: 'Pricebook rules' }),
    rules.map((r) => {
      const k = s.rules.findIndex((x) => x.rule === r.id);
      const estateSwitch = e.rules.find((x) => x.rule === r.id);
      const on = k >= 0 ? s.rules[k].enabled : estateSwitch ? estateSwitch.enabled : r.default_on;
      const id = `${p}-${r.id}`.replace(/[^a-z0-9-]/gi, '-');
      const box = el('input', { type: 'checkbox', id, checked: on, 'data-rule': r.id });
      box.addEventListener('change', () => applyEdits(k >= 0
        ? [{ set: `${p}[${k}].enabled`, value: { bool: box.checked } }]
        : [{ append: p, fields: [['rule', text(r.id)], ['enabled', { bool: box.checked }],
          ['reason', text(`switched ${box.checked ? 'on' : 'off'} for this scenario`)]] }], { redraw: true }));
      const where = r.regions ? ` (${r.regions.join(', ')} only)` : '';
      const from = k >= 0 ? 'switched for this scenario'
        : estateSwitch ? `switched for the estate: ${estateSwitch.reason}`
          : r.default_on ? 'in force unless switched off' : 'optional: off unless switched on';
      return el('div', { class: 'rule' },
        el('label', { class: 'check', for: id, title: `${r.what} [${r.confidence}]` }, box, ` ${r.name}${where}`),
        el('span', { class: 'hint', text: from }),
        k >= 0 ? field('Reason', textInput(`${p}[${k}].reason`, s.rules[k].reason)) : null);
    }));
}

/**
 * The cheapest start month of each move of the scenario (`hypercost schedule`), with its Gantt
 * chart; "Use this schedule" writes the starts into the text. The search is in the full engine
 * module, fetched on first use.
 */
function scheduleForm(s) {
  const out = el('div', { class: 'schedule-result', 'aria-live': 'polite' });
  const run = async () => {
    out.replaceChildren(el('p', { class: 'hint', text: 'Searching every start month…' }));
    const engine = await fullEngine();
    status('');
    let r;
    try { r = JSON.parse(engine.schedule(state.toml, s.name, '{}')); } catch (err) { r = { ok: false, error: String(err) }; }
    if (!r.ok) {
      out.replaceChildren(el('p', { class: 'error', text: r.error ?? 'The estate has problems: fix them first.' }));
      return;
    }
    // The Gantt is HTML the engine wrote, every text escaped by its templates.
    const gantt = el('div', { class: 'hc-report gantt' });
    gantt.innerHTML = r.gantt;
    const use = el('button', { type: 'button', class: 'add', text: 'Use this schedule',
      onclick: () => { setToml(r.toml, 'load'); status(`Scenario “${s.name}” now starts its moves on the cheapest months.`, 'ok'); } });
    out.replaceChildren(gantt, r.schedule.saving === '0.00' ? el('p', { class: 'hint', text: 'The scenario as written is already the cheapest schedule.' }) : use);
  };
  return el('div', { class: 'schedule' },
    el('button', { type: 'button', class: 'add', text: 'Find the cheapest schedule', onclick: run }),
    out);
}

/** A structural change the engine turns into text edits (`estate::Change`). */
function applyChange(change) {
  const r = JSON.parse(hc.restructure(state.toml, JSON.stringify(change)));
  if (!r.ok) { status(`That change could not be applied: ${r.error ?? 'the estate has problems'}`, 'error'); return false; }
  setToml(r.toml, 'load');
  return true;
}

const addScenario = () => applyChange({ add_scenario: null });

/** A cheapest option becomes a scenario: the current plans, with this cluster's replaced. */
function addScenarioFrom(cluster, w) {
  const plan = { edition: w.edition, support: w.support ?? null, addons: w.addons, use_owned: !!w.use_owned };
  const name = `Cheapest for ${cluster}: ${w.edition_name}`;
  if (!applyChange({ add_scenario_with: { name, cluster, plan } })) return;
  // The engine numbers a name that is taken; the re-priced estate has the one it chose.
  const added = state.good?.estate.scenarios.at(-1)?.name ?? name;
  status(`Added the scenario “${added}”.`, 'ok');
}

// ---------------------------------------------------------------------------------------------
// The TOML tab

let tomlTimer = 0;
function syncGutter() {
  // Hidden, the gutter needs nothing; reading scrollTop below would force a layout on every
  // re-pricing from the form. Showing the tab calls this again.
  if ($('pane-toml').hidden) return;
  const ta = $('toml');
  const n = ta.value.split('\n').length;
  const g = $('gutter');
  const key = `${n}:${[...state.badLines].join(',')}`;
  if (g.dataset.key !== key) {
    g.dataset.key = key;
    g.replaceChildren(...Array.from({ length: n }, (_, k) =>
      el('span', { class: state.badLines.has(k + 1) ? 'bad' : null, text: `${k + 1}\n` })));
  }
  g.scrollTop = ta.scrollTop;
}

function selectTab(which) {
  for (const t of ['form', 'toml']) {
    const on = t === which;
    $(`tab-${t}`).setAttribute('aria-selected', String(on));
    $(`tab-${t}`).tabIndex = on ? 0 : -1;
    $(`pane-${t}`).hidden = !on;
  }
  if (which === 'toml') syncGutter();
}

// ---------------------------------------------------------------------------------------------
// Share links: the estate, deflated, in the URL fragment (never sent to a server)

const b64url = {
  encode(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
  decode(text) {
    const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
  },
};

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

async function shareLink() {
  const raw = new TextEncoder().encode(state.toml);
  const hash = typeof CompressionStream === 'function'
    ? `#estate=z${b64url.encode(await pipe(raw, new CompressionStream('deflate-raw')))}`
    : `#estate=t${b64url.encode(raw)}`;
  return location.href.split('#')[0] + hash;
}

async function fromHash() {
  const m = /^#estate=([zt])([A-Za-z0-9_-]*)$/.exec(location.hash);
  if (!m) return null;
  try {
    const bytes = b64url.decode(m[2]);
    const raw = m[1] === 'z' ? await pipe(bytes, new DecompressionStream('deflate-raw')) : bytes;
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    status('The share link is damaged (it may have been cut short): showing the example instead.', 'error');
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Downloads: bytes rendered by the engine, exactly as `hypercost quote --format F` writes them

const TYPES = {
  json: 'application/json', csv: 'text/csv', html: 'text/html', md: 'text/markdown',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', toml: 'application/toml',
};

/** The engine with the XLSX writer: a second, larger module fetched on the first workbook. */
let full = null;
async function fullEngine() {
  if (!full) {
    status('Loading the full engine…');
    const m = await import('./hypercost_full.js');
    await m.default();
    full = m;
  }
  return full;
}

async function download(format) {
  let bytes;
  try {
    if (format === 'toml') bytes = new TextEncoder().encode(state.toml);
    else if (format === 'xlsx') bytes = (await fullEngine()).render(state.toml, format);
    else bytes = hc.render(state.toml, format);
  } catch (e) {
    status(String(e), 'error');
    return;
  }
  const slug = (state.good?.estate.name ?? 'estate').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'estate';
  const name = format === 'toml' ? `${slug}.toml` : `${slug}-quote.${format}`;
  const url = URL.createObjectURL(new Blob([bytes], { type: TYPES[format] }));
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  status(`Downloaded ${name}.`, 'ok');
}

// ---------------------------------------------------------------------------------------------
// Importing an inventory: the files' bytes go to the engine's importers, never to a server

async function importFiles(list) {
  const files = [...list];
  if (!files.length) return;
  const box = $('import-result');
  box.replaceChildren(el('p', { class: 'hint', text: `Reading ${files.map((f) => f.name).join(', ')}…` }));
  const buffers = await Promise.all(files.map((f) => f.arrayBuffer()));
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const b of buffers) { bytes.set(new Uint8Array(b), at); at += b.byteLength; }
  const manifest = JSON.stringify(files.map((f, i) => ({ name: f.name, len: buffers[i].byteLength })));
  // Workbooks need the module with the xlsx reader; CSVs are read by the page's own engine.
  const engine = files.some((f) => /\.xlsx$/i.test(f.name)) ? await fullEngine() : hc;
  const date = $('import-date').value || today();
  const r = JSON.parse(engine.import_inventory($('import-kind').value, manifest, bytes, date, $('import-fx').value.trim()));
  if (!r.ok) {
    box.replaceChildren(el('div', { class: 'errors' }, el('h3', { text: 'The inventory could not be read' }),
      el('ul', {}, r.diagnostics.map((d) => el('li', {
        text: `${d.file ? d.file + (d.line ? `:${d.line}:${d.column}` : '') + ': ' : ''}${d.field}: ${d.message}${d.help ? ` (${d.help})` : ''}`,
      })))));
    status('The inventory could not be read: see the import panel.', 'error');
    return;
  }
  const s = r.summary;
  box.replaceChildren(
    el('p', { class: 'import-ok', text: `Read ${s.hosts} hosts, ${s.sockets} CPUs and ${s.cores} cores into ${s.clusters} estate cluster${s.clusters === 1 ? '' : 's'}${s.vms === null ? '' : `, with ${s.vms} VMs`}. Per-core licences under the 16-core-per-CPU floor: ${s.licensed_cores_16}.` }),
    r.warnings.length ? el('details', {}, el('summary', { text: `${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}` }),
      el('ul', {}, r.warnings.map((w) => el('li', { text: w })))) : null);
  loadEstate(r.toml);
}

/**
 * A table in its wrapper (report.css `.hc-table-wrap`), which scrolls sideways when the table is
 * wider than the screen: the wrapper takes the focus, so the arrow keys can scroll it, and is a
 * region named `label`, so a screen reader says what the stop is — as the report's templates
 * write their wrappers (axe-core's scrollable-region-focusable rule).
 */
function scroller(label, table) {
  return el('div', { class: 'hc-table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, table);
}

/** Replaces the estate (reset, import): a share link in the address bar no longer holds it. */
function loadEstate(text) {
  history.replaceState(null, '', location.pathname + location.search);
  setToml(text, 'load');
}

// ---------------------------------------------------------------------------------------------
// Examples: the gallery of `examples/*.toml`, which `scripts/web` copies into `examples/` beside
// the page with `examples/index.json` listing each file and its estate's name. They are fetched
// when chosen (and kept offline by sw.js), never built into the engine's module.

const EXAMPLE_LIST = 'examples/index.json';

async function loadExampleList() {
  let list;
  try {
    const r = await fetch(EXAMPLE_LIST);
    if (!r.ok) return; // a page built without the gallery: no picker
    list = await r.json();
  } catch {
    return;
  }
  const pick = $('example-pick');
  pick.replaceChildren(...list.map(({ file, name }) => {
    const o = document.createElement('option');
    o.value = file;
    o.textContent = name;
    return o;
  }));
  // Loading is a button, not the select's change: arrowing through a closed select fires
  // `change` in some browsers, and a keyboard user would replace the estate at every step.
  $('example-load').addEventListener('click', async () => {
    const chosen = list.find((e) => e.file === pick.value);
    if (!chosen) return;
    try {
      const r = await fetch(`examples/${encodeURIComponent(chosen.file)}`);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      loadEstate(await r.text());
    } catch (e) {
      status(`The example “${chosen.name}” could not be loaded: ${e}`, 'error');
    }
  });
  $('examples').hidden = false;
}

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Start

async function start() {
  try {
    await init();
  } catch (e) {
    status(`This browser could not start the WebAssembly engine: ${e}`, 'error');
    return;
  }
  state.engine = hc;
  state.recompute = recompute;
  state.fields = JSON.parse(hc.fields());
  $('engine').textContent = `Engine: ${hc.engine()}. Open source: MIT or Apache-2.0.`;
  $('tab-form').addEventListener('click', () => selectTab('form'));
  $('tab-toml').addEventListener('click', () => selectTab('toml'));
  // The ARIA tabs pattern (automatic activation): only the selected tab is in the Tab order;
  // the arrows move to the previous or next tab (wrapping), Home and End to the first or last.
  document.querySelector('.tabs').addEventListener('keydown', (ev) => {
    const tabs = [...ev.currentTarget.querySelectorAll('[role="tab"]')];
    const at = tabs.indexOf(document.activeElement);
    const to = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: tabs.length - 1 }[ev.key];
    if (at < 0 || to === undefined) return;
    ev.preventDefault();
    const next = tabs[(to + tabs.length) % tabs.length];
    selectTab(next.id.replace(/^tab-/, ''));
    next.focus();
  });
  const ta = $('toml');
  ta.addEventListener('input', () => {
    syncGutter();
    clearTimeout(tomlTimer);
    tomlTimer = setTimeout(() => setToml(ta.value, 'toml'), 120);
  });
  ta.addEventListener('scroll', syncGutter);
  $('baseline').addEventListener('change', (ev) => { state.baseline = ev.target.value; recompute('form'); });
  $('whatif-field').addEventListener('change', () => { setWhatIfRange(); scheduleWhatIf(); });
  for (const k of ['from', 'to', 'step']) $(`whatif-${k}`).addEventListener('input', scheduleWhatIf);
  $('reshape-run').addEventListener('click', runReshape);
  $('ranges-on').addEventListener('change', () => {
    clearTimeout(rangesTimer);
    if ($('ranges-on').checked) renderRanges();
    else if (state.good) renderResults(state.good);
  });
  $('reset').addEventListener('click', () => loadEstate(hc.example()));
  $('explain-close').addEventListener('click', () => $('explain').close());
  $('import-date').value = today();
  // The import panel behaves as a dialog from the keyboard: opened, the focus moves to its
  // first control; Escape inside closes it and gives the focus back to its summary.
  const importBox = $('import-box');
  importBox.addEventListener('toggle', () => {
    if (importBox.open) $('import-kind').focus();
  });
  importBox.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || !importBox.open) return;
    ev.preventDefault();
    importBox.open = false;
    importBox.querySelector('summary').focus();
  });
  $('import-file').addEventListener('change', (ev) => {
    const chosen = [...ev.target.files];
    ev.target.value = ''; // the next choice replaces this one, and choosing a file again re-imports
    importFiles(chosen).catch((e) => status(`The import failed: ${e}`, 'error'));
  });
  $('share').addEventListener('click', async () => {
    const link = await shareLink();
    history.replaceState(null, '', link);
    try {
      await navigator.clipboard.writeText(link);
      status(`Share link copied (${link.length.toLocaleString('en')} characters). It holds the whole estate; no server sees it.`, 'ok');
    } catch {
      status('Share link placed in the address bar: copy it from there.', 'ok');
    }
  });
  document.querySelectorAll('[data-download]').forEach((b) =>
    b.addEventListener('click', () => download(b.dataset.download)));
  // In-page links (the report's, the skip link) scroll and move focus, and leave the fragment
  // alone: it may hold the estate of a share link, which a reload must not lose.
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest('a[href^="#"]');
    if (!a) return;
    ev.preventDefault();
    const target = document.getElementById(a.getAttribute('href').slice(1));
    target?.scrollIntoView({ behavior: 'smooth' });
    if (target?.tabIndex >= 0 || target?.hasAttribute('tabindex')) target.focus({ preventScroll: true });
  });
  window.addEventListener('hashchange', async () => {
    const text = await fromHash();
    if (text !== null && text !== state.toml) setToml(text, 'load');
  });
  setToml((await fromHash()) ?? hc.example(), 'load');
  await loadExampleList();
  state.readyMs = performance.now(); // from navigation start: fetch, compile, first quote
  // Offline use: a service worker keeps the page's files (sw.js). Where it cannot run (a file://
  // page, a browser without it) the calculator works the same, online only.
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('sw.js').then(() => navigator.serviceWorker.ready)
      .then(() => { state.offlineReady = true; })
      .catch(() => { state.offlineReady = false; });
  }
  document.body.dataset.ready = 'true';
}

start();
