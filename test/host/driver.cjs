// For tests running inside the extension host: use the workbench as a user does, through the
// test host driver's endpoint (lib/driverBridge.mjs): read the text of what is on screen, type,
// press keys, click, take a screenshot of a part. Under @vscode/test-electron there is no
// driver: hasDriver() is false, and a test that needs one says so.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;

function hasDriver() {
  return Boolean(process.env.VSCODE_HOST_DRIVER);
}

/** Whether this run is under the test host driver at all (it saves screenshots): then the driver must be there. */
function underHost() {
  return Boolean(process.env.VSCODE_HOST_RESULTS_DIR);
}

async function call(request) {
  const url = process.env.VSCODE_HOST_DRIVER;
  if (!url) throw new Error('no test host driver (VSCODE_HOST_DRIVER): this check needs the code-server host');
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(request) });
  const body = await response.json();
  if (body.error) throw new Error(`driver ${request.op} ${request.selector ?? request.key ?? request.name ?? ''}: ${body.error}`);
  return body.value;
}

const driver = {
  /** innerText of the first match, waiting for it to be in the page. */
  text: (selector, timeout) => call({ op: 'text', selector, timeout }),
  /** innerText of every match now. */
  texts: (selector) => call({ op: 'texts', selector }),
  attribute: (selector, name, timeout) => call({ op: 'attribute', selector, name, timeout }),
  count: (selector) => call({ op: 'count', selector }),
  /** Waits for the first match to reach a state: visible (default), hidden, attached, detached. */
  wait: (selector, state, timeout) => call({ op: 'wait', selector, state, timeout }),
  /** force: click where the element is even if another (the editor's text layer) lies over it. */
  click: (selector, timeout, options = {}) => call({ op: 'click', selector, timeout, ...options }),
  hover: (selector, timeout) => call({ op: 'hover', selector, timeout }),
  /** The element's box on the page, {x, y, width, height}, or null when it is not shown. */
  box: (selector, timeout) => call({ op: 'box', selector, timeout }),
  /** A mouse drag between two points of the page (a sash that resizes a part). */
  drag: (from, to) => call({ op: 'drag', from, to }),
  press: (key) => call({ op: 'press', key }),
  type: (text) => call({ op: 'type', text }),
  html: (selector, timeout) => call({ op: 'html', selector, timeout }),
  /** Saves <results-dir>/NAME.png: the whole workbench, one element (selector) or a clip {x, y, width, height}. */
  screenshot: (name, options = {}) => {
    if (!NAME.test(name)) throw new Error(`screenshot name ${JSON.stringify(name)} must match ${NAME}`);
    return call({ op: 'screenshot', name, ...options });
  },
};

module.exports = { driver, hasDriver, underHost };
