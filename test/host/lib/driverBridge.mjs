// Lets tests running inside the extension host use the workbench as a user does: read what the
// status bar or the Problems panel shows, type into an input box, open the quick-fix menu, click
// a CodeLens. The driver serves a small HTTP endpoint on 127.0.0.1 (a random token in its path)
// and runs each request on the Playwright page; test/host/driver.cjs is the client.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;
const DEFAULT_TIMEOUT_MS = 10_000;

/** One request, run on the page. Selectors are Playwright's (CSS, `text=`, `:has-text()`). */
async function perform(page, request, resultsDir) {
  const timeout = Math.min(Number(request.timeout) || DEFAULT_TIMEOUT_MS, 60_000);
  const first = () => page.locator(request.selector).first();
  switch (request.op) {
    case 'texts': {
      // Every match's text, without waiting: [] when nothing matches now.
      return page.locator(request.selector).allInnerTexts();
    }
    case 'text': {
      await first().waitFor({ state: 'attached', timeout });
      return first().innerText();
    }
    case 'attribute': {
      await first().waitFor({ state: 'attached', timeout });
      return first().getAttribute(request.name);
    }
    case 'count':
      return page.locator(request.selector).count();
    case 'wait':
      await first().waitFor({ state: request.state ?? 'visible', timeout });
      return true;
    case 'click':
      // force: decorations such as squiggles lie under the text layer; a user's click there lands on the text.
      await first().click({ timeout, button: request.button ?? 'left', force: Boolean(request.force) });
      return true;
    case 'hover':
      await first().hover({ timeout });
      return true;
    case 'box': {
      await first().waitFor({ state: 'attached', timeout });
      return first().boundingBox();
    }
    case 'drag': {
      // A mouse drag from one point to another (a sash that resizes a part).
      await page.mouse.move(request.from.x, request.from.y);
      await page.mouse.down();
      await page.mouse.move(request.to.x, request.to.y, { steps: 8 });
      await page.mouse.up();
      return true;
    }
    case 'press':
      await page.keyboard.press(request.key);
      return true;
    case 'type':
      await page.keyboard.type(String(request.text), { delay: 10 });
      return true;
    case 'html': {
      await first().waitFor({ state: 'attached', timeout });
      return first().evaluate((node) => node.outerHTML);
    }
    case 'screenshot': {
      if (!NAME.test(request.name ?? '')) throw new Error(`screenshot name ${JSON.stringify(request.name)} must match ${NAME}`);
      const file = path.join(resultsDir, `${request.name}.png`);
      fs.mkdirSync(resultsDir, { recursive: true });
      const partial = `${file}.partial-${process.pid}.png`;
      if (request.selector) await first().screenshot({ path: partial, timeout });
      else await page.screenshot({ path: partial, ...(request.clip ? { clip: request.clip } : {}) });
      fs.renameSync(partial, file);
      return file;
    }
    default:
      throw new Error(`unknown driver operation ${JSON.stringify(request.op)}`);
  }
}

/** Starts the endpoint; resolves with its URL (to hand to the extension host) and a close function. */
export async function startDriverBridge({ getPage, resultsDir }) {
  const token = randomBytes(16).toString('hex');
  const server = http.createServer((req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== `/${token}`) return reply(404, { error: 'not found' });
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', async () => {
      try {
        const page = getPage();
        if (!page || page.isClosed()) throw new Error('the workbench page is not open');
        reply(200, { value: await perform(page, JSON.parse(body), resultsDir) });
      } catch (error) {
        reply(200, { error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/${token}`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
