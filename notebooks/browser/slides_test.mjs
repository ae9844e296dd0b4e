// Opens reveal.js decks written by `./descent slides` in headless Chromium (playwright-core) with every request
// that is not a file: URL refused, and checks what a lecture needs offline:
//   - reveal.js initialized from the deck's own copy, with as many slides as the deck has leaf <section>s;
//   - MathJax (the deck's own copy) typeset every formula: no TeX left as $...$, no MathJax error;
//   - no request tried to leave the machine, no file the deck asks for is missing, no script error.
//
//   node notebooks/browser/slides_test.mjs --chromium /usr/bin/chromium DECK.slides.html...
//
// DESCENT_SLIDES_DEBUG=1 prints every file the deck loads.
// Prints a line "ok ..." or "FAIL ..." per check; the last line is "slides: N passed, M failed"; exit code 0
// only when every check passed.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
let chromiumPath = process.env.DESCENT_CHROMIUM || '/usr/bin/chromium';
const decks = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--chromium') chromiumPath = argv[++i];
  else decks.push(argv[i]);
}
if (decks.length === 0) throw new Error('usage: slides_test.mjs [--chromium PATH] DECK.slides.html...');

let passed = 0, failed = 0;
const check = (good, what) => { good ? passed++ : failed++; console.log(`${good ? 'ok  ' : 'FAIL'} ${what}`); };

const browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
try {
  for (const deck of decks) {
    const name = path.basename(deck);
    const page = await browser.newPage();
    const outside = [], missing = [], errors = [];
    let files = 0;
    await page.route('**/*', route => {
      const url = route.request().url();
      if (url.startsWith('file:')) { files++; if (process.env.DESCENT_SLIDES_DEBUG) console.log(`     loads ${url}`); return route.continue(); }
      outside.push(url);
      return route.abort('blockedbyclient');
    });
    page.on('requestfailed', r => { if (r.url().startsWith('file:')) missing.push(`${r.url()} (${r.failure()?.errorText})`); });
    page.on('pageerror', e => errors.push(String(e)));
    page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });

    await page.goto(pathToFileURL(path.resolve(deck)).href);
    await page.waitForSelector('.reveal.ready', { timeout: 30000 }).catch(() => {});
    // the template loads reveal.js with require.js, so Reveal is a module, not a global: fetch it once
    const reveal = await page.evaluate(() => new Promise(resolve => {
      if (typeof require !== 'function') return resolve(null);
      require(['reveal.js/dist/reveal.js'], R => {
        window.descentReveal = R;
        resolve({
          ready: R.isReady(), total: R.getTotalSlides(), horizontal: R.getHorizontalSlides().length,
          leaves: [...document.querySelectorAll('.reveal .slides section')].filter(s => !s.querySelector('section')).length,
        });
      }, () => resolve(null));
    }));
    check(reveal?.ready && reveal.total === reveal.leaves && reveal.total > 0,
      `${name}: reveal.js initialized, ${reveal?.total} slides (${reveal?.horizontal} horizontal) for ${reveal?.leaves} leaf sections`);
    // walk every slide and fragment, as a lecture does (MathJax re-renders on each slide change)
    for (let i = 0; reveal && i < 1000; i++) {
      const end = await page.evaluate(() => descentReveal.isLastSlide() && !descentReveal.availableFragments().next);
      if (end) break;
      await page.evaluate(() => descentReveal.next());
    }
    const math = await page.evaluate(() => new Promise(resolve => {
      if (!window.MathJax?.Hub) return resolve(null);
      MathJax.Hub.Queue(() => resolve({
        typeset: document.querySelectorAll('.MathJax_CHTML, .MathJax_Display .MathJax_CHTML').length,
        errors: document.querySelectorAll('.MathJax_CHTML [style*="color: red"], .mjx-merror').length,
        raw: [...document.querySelectorAll('.jp-MarkdownOutput')].filter(e => /\$[^$\s][^$]*\$/.test(e.innerText)).length,
      }));
    }));
    check(math && math.typeset > 0 && math.errors === 0 && math.raw === 0,
      `${name}: MathJax typeset ${math?.typeset} formulas, ${math?.errors} errors, ${math?.raw} cells with raw $...$`);
    check(outside.length === 0, `${name}: nothing loaded from the network (${files} file requests)` +
      outside.map(u => `\n     refused: ${u}`).join(''));
    check(missing.length === 0, `${name}: every file the deck asks for is there` + missing.map(u => `\n     missing: ${u}`).join(''));
    check(errors.length === 0, `${name}: no script error` + errors.map(e => `\n     ${e}`).join(''));
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`slides: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
