// Drives the notebooks in a real browser (headless Chromium through playwright-core), against a running Jupyter
// server: JupyterLab 4, Notebook 7 or the classic Notebook 6. What only a browser shows (a kernel_info that is never
// answered, an image that does not load, a stop button that does nothing) is invisible to nbclient.
//
//   node notebooks/browser/browser_test.mjs --url http://127.0.0.1:8888 --token T --ui lab|notebook \
//        [--notebooks 00-welcome,04-optimizers] [--starts 5] [--no-stop] [--out target/browser/lab]
//
// Checks, each printed as a line "ok ..." or "FAIL ...":
//   - every listed notebook: "Run All" finishes, no error or stderr output (but an exercise check's Exercise.NotYet
//     after its untouched starter), every image loaded (naturalWidth > 0), every animation (image/gif) playing,
//     at least one image and one table rendered;
//   - the stop button: ends a Thread.sleep loop, then a training loop (descent.optim), and the next cell's output
//     shows each time (seconds from the click printed);
//   - fresh kernel starts: each opens a one-cell notebook in a new kernel and times the first result.
// Screenshots of failures go to --out. Exit code 0 only when every check passed. The last line is
// "browser: N passed, M failed".
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const args = parseArgs(process.argv.slice(2));
const base = args.url.replace(/\/$/, '');
const token = args.token;
const ui = args.ui || 'lab';
const out = args.out || 'target/browser';
const notebooks = (args.notebooks ?? '00-welcome,04-optimizers').split(',').filter(Boolean);
const starts = Number(args.starts ?? 5);
const chromiumPath = args.chromium || process.env.DESCENT_CHROMIUM || '/usr/bin/chromium';
const notebookTimeoutMs = Number(args['notebook-timeout'] ?? 600) * 1000;
fs.mkdirSync(out, { recursive: true });

let passed = 0, failed = 0;
const debug = process.env.DESCENT_BROWSER_DEBUG ? (...m) => console.log(`     [${new Date().toISOString().slice(11, 23)}]`, ...m) : () => {};
function ok(what) { passed++; console.log(`ok   ${what}`); }
async function fail(page, what, name) {
  failed++;
  console.log(`FAIL ${what}`);
  if (page) {
    const file = path.join(out, `fail-${name}.png`);
    await page.screenshot({ path: file, fullPage: false }).catch(() => {});
    console.log(`     screenshot: ${file}`);
  }
}

function parseArgs(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i].replace(/^--/, '');
    if (k.startsWith('no-')) a[k.slice(3)] = false;
    else a[k] = argv[++i];
  }
  if (!a.url || !a.token) throw new Error('usage: browser_test.mjs --url URL --token TOKEN [--ui lab|notebook]');
  return a;
}

// ------------------------------------------------------------------------------------------ server (REST)
async function api(method, p, body) {
  const r = await fetch(`${base}/api/${p}`, {
    method, headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok && r.status !== 404) throw new Error(`${method} /api/${p}: HTTP ${r.status} ${await r.text()}`);
  return r.status === 204 || r.status === 404 ? null : r.json();
}

function notebookJson(sources) {
  return {
    cells: sources.map((s, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, source: s, outputs: [], execution_count: null })),
    metadata: { kernelspec: { name: 'java', display_name: 'Java (Descent)', language: 'java' } },
    nbformat: 4, nbformat_minor: 5,
  };
}

async function putNotebook(name, sources) {
  await api('PUT', `contents/${name}`, { type: 'notebook', format: 'json', content: notebookJson(sources) });
}

async function sessionFor(name) {
  const sessions = await api('GET', 'sessions');
  return sessions.find(s => s.path === name || s.path.endsWith('/' + name));
}

async function waitIdle(name, timeoutMs) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const s = await sessionFor(name);
    if (s && s.kernel.execution_state === 'idle') return true;
    await new Promise(r => setTimeout(r, 250));
  }
  return false;
}

async function shutDownSessions(name) {
  for (const s of await api('GET', 'sessions')) {
    if (name === undefined || s.path === name) await api('DELETE', `sessions/${s.id}`);
  }
}

// ------------------------------------------------------------------------------------------ the page, per UI
const dom = {
  lab: {
    notebook: '.jp-Notebook', codeCell: '.jp-Notebook .jp-CodeCell', prompt: '.jp-InputPrompt',
    output: '.jp-OutputArea-output', image: '.jp-OutputArea-output img', table: '.jp-OutputArea-output table',
    error: '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
    stop: '[data-command="notebook:interrupt-kernel"]',
  },
  classic: {
    notebook: '#notebook-container', codeCell: '#notebook-container .code_cell', prompt: '.input_prompt',
    output: '.output_area', image: '.output_area img', table: '.output_area table',
    error: '.output_error, .output_stderr',
    stop: 'button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]',
  },
};

function urlOf(name) {
  // Lab: a workspace of its own, reset, so tabs from an earlier page are not restored next to this one.
  return ui === 'lab' ? `${base}/lab/workspaces/descent-browser-test/tree/${name}?reset&token=${token}`
    : `${base}/notebooks/${name}?token=${token}`;
}

async function open(page, name) {
  await page.goto(urlOf(name));
  const flavour = await Promise.race([
    page.waitForSelector(dom.lab.notebook, { timeout: 60000 }).then(() => 'lab'),
    page.waitForSelector(dom.classic.notebook, { timeout: 60000 }).then(() => 'classic'),
  ]);
  await page.waitForSelector(dom[flavour].codeCell, { timeout: 60000 });
  return dom[flavour] === dom.classic ? { d: dom.classic, classic: true } : { d: dom.lab, classic: false };
}

// Prompts of all code cells: "[3]:" ran, "[*]:" running or queued, "[ ]:" never ran.
async function prompts(page, d) {
  return page.$$eval(`${d.codeCell} ${d.prompt}`, els => els.map(e => e.textContent.replace(/^In\s*/, '').trim()));
}

async function runAll(page, view) {
  if (view.classic) {
    await page.evaluate(() => window.Jupyter.notebook.execute_all_cells());
    return;
  }
  await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
  await page.click('.lm-Menu-item[data-command="runmenu:run-all"], .lm-Menu-item[data-command="notebook:run-all-cells"]');
}

// Runs the code cell with the given index and selects the next one (Shift+Enter in command mode).
async function runCell(page, view, index) {
  if (view.classic) {
    await page.evaluate(i => { const nb = window.Jupyter.notebook; nb.select(i); nb.execute_cell_and_select_below(); }, index);
    return;
  }
  const cell = (await page.$$(view.d.codeCell))[index];
  await (await cell.$('.jp-InputArea-editor')).click();   // edit mode in this cell
  await page.keyboard.press('Shift+Enter');
}

// Done when no prompt is queued/running or unrun ("[*]", "[ ]"; a cell whose source is hidden shows none), one has a
// number, and the server says the kernel is idle, twice in a row a second apart.
async function waitAllRan(page, view, name, timeoutMs) {
  const t0 = Date.now();
  let quiet = 0;
  while (Date.now() - t0 < timeoutMs) {
    const p = await prompts(page, view.d);
    const s = await sessionFor(name);
    const done = p.some(x => /^\[\d+\]/.test(x)) && p.every(x => x === '' || /^\[\d+\]/.test(x))
      && s && s.kernel.execution_state === 'idle';
    quiet = done ? quiet + 1 : 0;
    if (quiet >= 2) return true;
    await page.waitForTimeout(1000);
  }
  return false;
}

async function outputTexts(page, view) {
  return page.$$eval(view.d.codeCell, (cells, sel) => cells.map(c => [...c.querySelectorAll(sel)].map(o => o.textContent).join('\n')), view.d.output);
}

async function waitForText(page, view, cellIndex, text, timeoutMs) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const texts = await outputTexts(page, view);
    if ((texts[cellIndex] || '').includes(text)) return (Date.now() - t0) / 1000;
    await page.waitForTimeout(50);
  }
  return null;
}

// Some code cell shows "[*]" or a number: the browser sent at least one execute_request.
async function waitStarted(page, view, timeoutMs) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if ((await prompts(page, view.d)).some(x => /^\[(\*|\d+)\]/.test(x))) return true;
    await page.waitForTimeout(200);
  }
  return false;
}

async function waitPrompt(page, view, cellIndex, accept, timeoutMs) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const p = await prompts(page, view.d);
    if (accept(p[cellIndex] ?? '')) return true;
    await page.waitForTimeout(100);
  }
  return false;
}

const HUNG = Symbol('hung');

// The promise's value, or HUNG when it has not settled within ms.
async function within(ms, promise) {
  let timer;
  const limit = new Promise(resolve => { timer = setTimeout(() => resolve(HUNG), ms); });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

// ------------------------------------------------------------------------------------------ checks
// The notebook runs as a copy (_browser_test_NAME.ipynb, deleted afterwards): Lab and Notebook 7 save a notebook
// whose cells ran, and the committed outputs (from the full profile) must not be replaced by a smoke run.
async function checkNotebook(browser, name) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const tag = `${ui} ${name}`;
  const copy = `_browser_test_${name}.ipynb`;
  try {
    const original = await api('GET', `contents/${name}.ipynb?content=1`);
    if (!original) return fail(null, `${tag}: no notebook ${name}.ipynb on the server`);
    await api('PUT', `contents/${copy}`, { type: 'notebook', format: 'json', content: original.content });
    const t0 = Date.now();
    const view = await open(page, copy);
    if (!await waitIdle(copy, 120000)) return fail(page, `${tag}: the kernel did not become idle within 120 s`, `${ui}-${name}-start`);
    await runAll(page, view);
    if (!await waitStarted(page, view, 15000)) {
      console.log(`     ${tag}: the browser did not start the first cell in 15 s; Run All again (see oneStart)`);
      await runAll(page, view);
    }
    if (!await waitAllRan(page, view, copy, notebookTimeoutMs)) {
      const p = await prompts(page, view.d);
      return fail(page, `${tag}: Run All did not finish in ${notebookTimeoutMs / 1000} s (prompts ${p.join(' ')})`, `${ui}-${name}-run`);
    }
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    // An exercise's check after its untouched starter cell throws descent.check.Exercise$NotYet: that is intended
    // (the learner has not solved it yet); any other error or stderr output fails.
    const outputs = await page.$$eval(view.d.error, els => els.map(e => e.textContent.slice(0, 300)));
    const notYet = outputs.filter(e => e.includes('descent.check.Exercise$NotYet'));
    const errors = outputs.filter(e => !e.includes('descent.check.Exercise$NotYet'));
    if (errors.length) await fail(page, `${tag}: ${errors.length} error/stderr output(s): ${errors[0]}`, `${ui}-${name}-error`);
    else ok(`${tag}: all cells ran in ${secs} s, no error output`
        + (notYet.length ? ` but the ${notYet.length} exercise check(s) of untouched starters (Exercise.NotYet, as intended)` : ''));
    // Images: bring each into view (Lab renders lazily), wait for it to decode, then check its natural size.
    const images = await page.$$(view.d.image);
    let broken = 0;
    for (const img of images) {
      await img.scrollIntoViewIfNeeded().catch(() => {});
      const w = await img.evaluate(async el => { try { await el.decode(); } catch (e) { } return el.naturalWidth; });
      if (!(w > 0)) broken++;
    }
    if (images.length === 0) await fail(page, `${tag}: no image output`, `${ui}-${name}-images`);
    else if (broken) await fail(page, `${tag}: ${broken} of ${images.length} images did not load`, `${ui}-${name}-images`);
    else ok(`${tag}: ${images.length} images loaded (naturalWidth > 0)`);
    // Animations (image/gif, descent.plot.AnimatedGif): each must not only load but play: screenshots of it over
    // up to 4 s (a loop can hold its last frame 2 s) must not all be equal. 04 shows one.
    const gifs = await page.$$(`${view.d.image}[src^="data:image/gif"]`);
    if (name === '04-optimizers' && gifs.length === 0) await fail(page, `${tag}: no animation (image/gif) shown`, `${ui}-${name}-gif`);
    for (const [k, gif] of gifs.entries()) {
      await gif.scrollIntoViewIfNeeded().catch(() => {});
      const first = await gif.screenshot();
      let moved = false;
      for (let i = 0; i < 8 && !moved; i++) {
        await page.waitForTimeout(500);
        moved = Buffer.compare(first, await gif.screenshot()) !== 0;
      }
      if (!moved) await fail(page, `${tag}: animation ${k + 1} of ${gifs.length} (image/gif) shows but does not play`, `${ui}-${name}-gif`);
      else ok(`${tag}: animation ${k + 1} of ${gifs.length} (image/gif) loaded and plays (its screenshots change)`);
    }
    const tables = await page.$$eval(view.d.table, els => els.filter(t => t.querySelectorAll('tr').length > 1).length);
    if (tables === 0) await fail(page, `${tag}: no table rendered`, `${ui}-${name}-tables`);
    else ok(`${tag}: ${tables} tables rendered`);
  } catch (e) {
    await fail(page, `${tag}: ${e.message.split('\n')[0]}`, `${ui}-${name}-exception`);
  } finally {
    await page.close();
    await shutDownSessions(copy);
    await api('DELETE', `contents/${copy}`).catch(() => {});
  }
}

const STOP_NOTEBOOK = '_browser_test_stop.ipynb';
async function checkStopButton(browser) {
  await putNotebook(STOP_NOTEBOOK, [
    'for (;;) { Thread.sleep(100); }',
    'System.out.println("after the sleep loop");',
    ['var opt = descent.optim.Optimizers.create("sgd", java.util.Map.of("lr", 1e-4));',
      'var w = org.nd4j.linalg.factory.Nd4j.rand(200, 200);',
      'var x = org.nd4j.linalg.factory.Nd4j.rand(64, 200);',
      'for (long step = 0; ; step++) { var g = x.transpose().mmul(x.mmul(w)).divi(64); opt.step(w, g); }'].join('\n'),
    'System.out.println("after the training loop");',
  ]);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    const view = await open(page, STOP_NOTEBOOK);
    if (!await waitIdle(STOP_NOTEBOOK, 120000)) return fail(page, `${ui} stop button: the kernel did not become idle`, `${ui}-stop-start`);
    for (const [loop, next, text] of [[0, 1, 'after the sleep loop'], [2, 3, 'after the training loop']]) {
      const what = `${ui} stop button: ${loop === 0 ? 'Thread.sleep loop' : 'training loop (descent.optim)'}`;
      await runCell(page, view, loop);
      if (!await waitPrompt(page, view, loop, p => p !== '[ ]:' && p !== '[ ]', 10000)) {
        console.log(`     ${what}: the browser did not start the cell in 10 s; ran it again (see oneStart)`);
        await runCell(page, view, loop);
      }
      await runCell(page, view, next);    // queued behind the loop, as in "Run All"
      if (!await waitPrompt(page, view, loop, p => p.startsWith('[*]'), 90000)) { await fail(page, `${what}: the cell never started`, `${ui}-stop-${loop}`); continue; }
      await page.waitForTimeout(3000);
      const before = await outputTexts(page, view);
      const s = await sessionFor(STOP_NOTEBOOK);
      if (before[next] || !s || s.kernel.execution_state !== 'busy') {
        await fail(page, `${what}: the loop was not running 3 s after it started (kernel ${s && s.kernel.execution_state}, next cell's output "${before[next]}")`, `${ui}-stop-${loop}`);
        continue;
      }
      await page.click(view.d.stop);
      const secs = await waitForText(page, view, next, text, 30000);
      const after = await outputTexts(page, view);
      if (secs === null) await fail(page, `${what}: the next cell's output did not show within 30 s of pressing stop`, `${ui}-stop-${loop}`);
      else if (!/sleep interrupted|stopped by the stop button/.test(after[loop])) await fail(page, `${what}: the loop cell does not say it was stopped: "${after[loop]}"`, `${ui}-stop-${loop}`);
      else ok(`${what}: stopped ("${after[loop].trim().split('\n')[0].slice(0, 80)}"); the next cell's output showed ${secs.toFixed(2)} s after pressing stop`);
    }
  } catch (e) {
    await fail(page, `${ui} stop button: ${e.message.split('\n')[0]}`, `${ui}-stop-exception`);
  } finally {
    await page.close();
    await shutDownSessions(STOP_NOTEBOOK);
    await api('DELETE', `contents/${STOP_NOTEBOOK}`).catch(() => {});
  }
}

async function oneStart(page, i, n, times) {
  const t0 = Date.now();
  if (process.env.DESCENT_BROWSER_DEBUG) {
    page.on('websocket', ws => {
      const id = ws.url().replace(/.*session_id=/, '').slice(0, 8);
      debug(`ws ${id} open`);
      const show = dir => f => {
        const text = Buffer.isBuffer(f.payload) ? f.payload.toString('latin1') : String(f.payload);
        const types = [...text.matchAll(/"msg_type":\s*"(\w+)"/g)].map(m => m[1]);
        const state = (text.match(/"execution_state":\s*"(\w+)"/) || [])[1];
        debug(`ws ${id} ${dir} ${types.join(',')}${state ? ' ' + state : ''}`);
      };
      ws.on('framesent', show('>'));
      ws.on('framereceived', show('<'));
      ws.on('close', () => debug(`ws ${id} closed`));
    });
  }
  debug(`start ${i}: opening`);
  const view = await open(page, START_NOTEBOOK);
  debug(`start ${i}: shown`);
  const shown = (Date.now() - t0) / 1000;   // the page has loaded; the server starts the kernel now
  // Run the cell as soon as the server reports the kernel idle (what a user sees at that moment varies: Lab 4 shows
  // "Kernel status: Unknown" until the first cell has run, with any kernel whose start-up statuses belong to
  // kernel_info requests). Lab 4 now and then drops a cell run while its kernel connection is still being set up:
  // the browser never sends the execute_request (seen 3 times in about 60 starts, in the websocket frames). Then the
  // prompt stays "[ ]"; the cell is run again and the start reported as "Lab dropped the first run".
  if (!await waitIdle(START_NOTEBOOK, 120000)) {
    times.push(null);
    return fail(page, `${ui} start ${i}: the server never reported the kernel idle within 120 s`, `${ui}-start-${i}`);
  }
  debug(`start ${i}: idle`);
  await runCell(page, view, 0);
  debug(`start ${i}: cell sent`);
  let dropped = '';
  if (!await waitPrompt(page, view, 0, p => p !== '[ ]:' && p !== '[ ]' && p !== '', 10000)) {
    dropped = ' (Lab dropped the first run; ran it again)';
    await runCell(page, view, 0);
  }
  const secs = await waitForText(page, view, 0, '2', 120000 - (Date.now() - t0));
  const total = secs === null ? null : (Date.now() - t0) / 1000;
  times.push(total === null ? null : total - shown);
  console.log(`     start ${i}/${n}: ` + (total === null ? 'no first result within 120 s'
    : `first result ${(total - shown).toFixed(2)} s after the notebook was shown (${total.toFixed(2)} s after opening its URL)${dropped}`));
  if (total === null) await fail(page, `${ui} start ${i}: no first result within 120 s`, `${ui}-start-${i}`);
}

const START_NOTEBOOK = '_browser_test_start.ipynb';
async function checkStarts(browser, n) {
  await putNotebook(START_NOTEBOOK, ['1 + 1']);
  const times = [];
  try {
    for (let i = 1; i <= n; i++) {
      await shutDownSessions(START_NOTEBOOK);
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      try {
        if (await within(150000, oneStart(page, i, n, times)) === HUNG) {
          times.push(null);
          await fail(page, `${ui} start ${i}: the page did not answer within 150 s`, `${ui}-start-${i}-hung`);
        }
      } finally {
        debug(`start ${i}: closing`);
        await page.close();
        debug(`start ${i}: closed`);
      }
    }
  } finally {
    await shutDownSessions(START_NOTEBOOK);
    await api('DELETE', `contents/${START_NOTEBOOK}`).catch(() => {});
  }
  const got = times.filter(t => t !== null).sort((a, b) => a - b);
  if (got.length) {
    const q = f => got[Math.min(got.length - 1, Math.floor(f * got.length))].toFixed(2);
    console.log(`     ${ui} starts: ${got.length}/${n} answered; first result after the notebook was shown: min ${got[0].toFixed(2)} s, median ${q(0.5)} s, ` +
      `90th percentile ${q(0.9)} s, max ${got[got.length - 1].toFixed(2)} s`);
    // Not a speed target: the defect this guards against is a start that waits for the server's 60 s kernel_info
    // time-out; any start near that is that defect.
    if (got[got.length - 1] >= 45) await fail(null, `${ui} starts: slowest first result ${got[got.length - 1].toFixed(1)} s (the 60 s kernel_info wait is back?)`);
    else if (got.length === n) ok(`${ui} ${n} fresh kernel starts answered (slowest ${got[got.length - 1].toFixed(2)} s)`);
  }
}

// A check that hangs (a page that stops answering) fails instead of hanging the test.
async function bounded(what, ms, body) {
  try {
    if (await within(ms, body()) === HUNG) await fail(null, `${ui} ${what}: no answer within ${ms / 1000} s`);
  } catch (e) {
    await fail(null, `${ui} ${what}: ${e.message.split('\n')[0]}`);
  }
}

// ------------------------------------------------------------------------------------------ main
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  for (const name of notebooks) await bounded(name, notebookTimeoutMs + 120000, () => checkNotebook(browser, name));
  if (args.stop !== false) await bounded('stop button', 300000, () => checkStopButton(browser));
  if (starts > 0) await bounded('fresh starts', starts * 150000, () => checkStarts(browser, starts));
} finally {
  await browser.close();
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
