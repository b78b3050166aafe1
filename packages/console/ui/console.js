// @ts-check
// The scimkit console page. Plain JavaScript, no framework and no build: the server embeds this
// file as it is. Every value shown comes from the network, so it is only ever set as text
// (textContent, never parsed as markup), and the Content-Security-Policy allows no inline script.

/**
 * @typedef {{ kind: 'created' | 'replaced' | 'patched' | 'deleted', deactivated: boolean, resourceType: string, id: string, ignored?: number }} ChangeSummary
 * @typedef {{ status: string, scimType?: string, detail?: string }} ScimErrorSummary
 * @typedef {{ id: number, time: string, durationMs: number, method: string, path: string, resource: string,
 *   status: number, principal: string, source: 'client' | 'demo', step: string, error?: ScimErrorSummary,
 *   changes: ChangeSummary[] }} Summary
 * @typedef {{ text: string, json: boolean, truncated: boolean }} Body
 * @typedef {{ headers: [string, string][], body?: Body }} Message
 * @typedef {{ kind: 'added' | 'removed' | 'changed', path: string, before?: unknown, after?: unknown }} Change
 * @typedef {Omit<ChangeSummary, 'ignored'> & { diff: Change[], omitted: number, before?: string, after?: string, ignored?: string[] }} StoreChange
 * @typedef {Omit<Summary, 'changes'> & { request: Message, response: Message, changes: StoreChange[] }} ExchangeRecord
 * @typedef {{ available: boolean, running: boolean, step?: string, error?: string, runs: number }} DemoState
 * @typedef {{ demo: DemoState, maxEntries: number, dropped: number }} State
 */

const REASONS = /** @type {Record<number, string>} */ ({
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
});

/** What each kind of store change reads as on the flow's store arrow. */
const VERBS = { created: 'create', replaced: 'replace', patched: 'update', deleted: 'delete' };

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {{ className?: string, text?: string, title?: string }} [options]
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
function h(tag, options = {}, children = []) {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  if (options.title !== undefined) element.title = options.title;
  for (const child of children) element.append(child);
  return element;
}

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @returns {T}
 */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return /** @type {T} */ (element);
}

const ui = {
  connection: byId('connection'),
  signIn: byId('sign-in'),
  signInForm: /** @type {HTMLFormElement} */ (byId('sign-in-form')),
  tokenInput: /** @type {HTMLInputElement} */ (byId('token-input')),
  signInError: byId('sign-in-error'),
  app: byId('app'),
  tabExchanges: byId('tab-exchanges'),
  tabFlow: byId('tab-flow'),
  exchangesView: byId('exchanges-view'),
  flowView: byId('flow-view'),
  rows: byId('rows'),
  empty: byId('empty'),
  flow: byId('flow'),
  flowEmpty: byId('flow-empty'),
  detail: byId('detail'),
  runDemo: /** @type {HTMLButtonElement} */ (byId('run-demo')),
  hardDelete: /** @type {HTMLInputElement} */ (byId('hard-delete')),
  demoStatus: byId('demo-status'),
  clear: byId('clear'),
  signOut: byId('sign-out'),
  status: /** @type {HTMLSelectElement} */ (byId('filter-status')),
  method: /** @type {HTMLSelectElement} */ (byId('filter-method')),
  resource: /** @type {HTMLSelectElement} */ (byId('filter-resource')),
  text: /** @type {HTMLInputElement} */ (byId('filter-text')),
  count: byId('count'),
  filters: /** @type {HTMLFormElement} */ (byId('filters')),
};

/** Every exchange received, oldest first. @type {Summary[]} */
let exchanges = [];
/** @type {Set<string>} */
const resources = new Set();
/** @type {State} */
let state = { demo: { available: false, running: false, runs: 0 }, maxEntries: 1000, dropped: 0 };
/** @type {number | undefined} */
let selected;
/** @type {EventSource | undefined} */
let events;

// ---- talking to the console ------------------------------------------------------------

/**
 * @param {string} path
 * @param {RequestInit} [init]
 */
function api(path, init = {}) {
  return fetch(`api/${path}`, {
    ...init,
    credentials: 'same-origin',
    headers: init.body ? { 'content-type': 'application/json' } : {},
  });
}

/** Trades a token (from the link's #token= or the form) for a session cookie. */
async function signIn(/** @type {string} */ token) {
  const response = await api('session', { method: 'POST', body: JSON.stringify({ token }) });
  if (response.ok) return true;
  const body = await response.json().catch(() => ({}));
  ui.signInError.textContent = typeof body.message === 'string' ? body.message : `HTTP ${response.status}`;
  return false;
}

async function start() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token');
  if (token) {
    // Take the token out of the address bar and the history before anything else.
    history.replaceState(null, '', location.pathname);
    await signIn(token);
  }
  const session = await api('session');
  if (session.ok) open();
  else showSignIn();
}

function showSignIn() {
  events?.close();
  events = undefined;
  ui.app.hidden = true;
  ui.signIn.hidden = false;
  ui.connection.textContent = 'signed out';
  ui.connection.className = 'pill';
  ui.tokenInput.focus();
}

function open() {
  ui.signIn.hidden = true;
  ui.app.hidden = false;
  connect();
}

function connect() {
  events?.close();
  // A new stream replays everything the console keeps: start from an empty list.
  exchanges = [];
  renderAll();
  const source = new EventSource('api/events');
  events = source;
  source.addEventListener('open', () => {
    ui.connection.textContent = 'live';
    ui.connection.className = 'pill live';
  });
  source.addEventListener('error', () => {
    ui.connection.textContent = 'reconnecting…';
    ui.connection.className = 'pill offline';
    if (source.readyState === EventSource.CLOSED) {
      // Refused (the session ended or the console restarted): ask again.
      void api('session').then((response) => (response.ok ? setTimeout(connect, 2000) : showSignIn()));
    }
  });
  source.addEventListener('hello', (event) => {
    state = JSON.parse(/** @type {MessageEvent} */ (event).data);
    renderDemo();
  });
  source.addEventListener('demo', (event) => {
    state.demo = JSON.parse(/** @type {MessageEvent} */ (event).data);
    renderDemo();
  });
  source.addEventListener('cleared', () => {
    exchanges = [];
    renderAll();
  });
  source.addEventListener('exchange', (event) => {
    add(JSON.parse(/** @type {MessageEvent} */ (event).data));
  });
}

// ---- the list ----------------------------------------------------------------------------

/** @param {Summary} exchange */
function add(exchange) {
  const last = exchanges.at(-1);
  if (last && exchange.id <= last.id) return; // a replay after reconnecting
  exchanges.push(exchange);
  let rerender = false;
  if (exchanges.length > state.maxEntries) {
    exchanges.splice(0, exchanges.length - state.maxEntries);
    rerender = true;
  }
  if (exchange.resource && !resources.has(exchange.resource)) {
    resources.add(exchange.resource);
    ui.resource.append(h('option', { text: exchange.resource }));
  }
  // Follow new exchanges while the reader is at the bottom of the page, not when they scrolled up.
  const following = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 40;
  if (rerender) renderAll();
  else if (matches(exchange)) {
    ui.rows.append(row(exchange));
    appendFlow(exchange);
    renderCount();
  } else renderCount();
  if (following) window.scrollTo(0, document.documentElement.scrollHeight);
}

/** @param {Summary} exchange */
function matches(exchange) {
  const status = ui.status.value;
  if (status === 'error' ? exchange.status < 400 : status && String(exchange.status)[0] !== status)
    return false;
  if (ui.method.value && exchange.method !== ui.method.value) return false;
  if (ui.resource.value && exchange.resource !== ui.resource.value) return false;
  const text = ui.text.value.trim().toLowerCase();
  if (!text) return true;
  const haystack = [
    exchange.method,
    exchange.path,
    String(exchange.status),
    exchange.principal,
    exchange.step,
    exchange.error?.scimType ?? '',
    exchange.error?.detail ?? '',
  ]
    .join('\n')
    .toLowerCase();
  return haystack.includes(text);
}

/** @param {number} status */
function statusText(status) {
  return `${status} ${REASONS[status] ?? ''}`.trim();
}

/** @param {number} status */
function statusClass(status) {
  return status >= 500
    ? 'status s5'
    : status >= 400
      ? 'status s4'
      : status >= 300
        ? 'status s3'
        : 'status s2';
}

/** @param {string} iso */
function clock(iso) {
  const date = new Date(iso);
  return `${date.toLocaleTimeString([], { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** @param {Summary} exchange */
function row(exchange) {
  const status = h('td', {}, [
    h('span', { className: statusClass(exchange.status), text: statusText(exchange.status) }),
  ]);
  if (exchange.error?.scimType)
    status.append(h('span', { className: 'scim-type', text: exchange.error.scimType }));
  const tr = h('tr', { className: exchange.id === selected ? 'selected' : '' }, [
    h('td', { className: 'time', text: clock(exchange.time), title: exchange.time }),
    h('td', { className: 'method', text: exchange.method }),
    h('td', { className: 'path', text: exchange.path, title: exchange.path }),
    status,
    h('td', { className: 'number', text: exchange.durationMs.toFixed(1) }),
    h('td', {
      className: exchange.source === 'demo' ? 'principal demo' : 'principal',
      text: exchange.principal,
    }),
    h('td', { className: 'step', text: exchange.step }),
  ]);
  tr.dataset['id'] = String(exchange.id);
  tr.tabIndex = 0;
  tr.addEventListener('click', () => void showDetail(exchange.id));
  tr.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      void showDetail(exchange.id);
    }
  });
  return tr;
}

function renderCount() {
  const shown = ui.rows.childElementCount;
  ui.count.textContent =
    shown === exchanges.length ? `${shown} exchanges` : `${shown} of ${exchanges.length} exchanges`;
  ui.empty.hidden = exchanges.length > 0;
  ui.flowEmpty.hidden = shown > 0;
}

function renderAll() {
  const visible = exchanges.filter(matches);
  ui.rows.replaceChildren(...visible.map(row));
  ui.flow.replaceChildren();
  for (const exchange of visible) appendFlow(exchange);
  renderCount();
}

// ---- the flow view: three lanes, one block of arrows per exchange --------------------------

/** @param {ChangeSummary[]} changes @param {Summary} exchange */
function storeLabel(changes, exchange) {
  if (changes.length > 0) {
    return changes
      .map(
        (change) =>
          `${change.deactivated ? 'deactivate' : VERBS[change.kind]} ${change.resourceType} ${change.id.slice(0, 8)}` +
          (change.ignored ? ` · ${change.ignored} ignored` : ''),
      )
      .join(', ');
  }
  const reads =
    exchange.method === 'GET' && exchange.status < 300 && /^(Users|Groups|Me)$/.test(exchange.resource);
  return reads ? `read ${exchange.resource}` : '';
}

/** @param {Summary} exchange */
function appendFlow(exchange) {
  const last = /** @type {HTMLElement | null} */ (ui.flow.lastElementChild);
  if (!last || last.dataset['step'] !== exchange.step) {
    const heading = h('li', { className: 'flow-step' }, [
      h('span', { className: 'step-name', text: exchange.step }),
      h('span', {
        className: 'step-source',
        text: exchange.source === 'demo' ? 'console demo' : exchange.principal,
      }),
    ]);
    heading.dataset['step'] = exchange.step;
    ui.flow.append(heading);
  }
  const store = storeLabel(exchange.changes, exchange);
  const item = h('li', { className: exchange.id === selected ? 'flow-exchange selected' : 'flow-exchange' }, [
    h('div', { className: 'lanes' }, [
      h('div', { className: 'arrow right request' }, [
        h('span', { className: 'label', title: `${exchange.method} ${exchange.path}` }, [
          h('b', { text: exchange.method }),
          ` ${exchange.path}`,
        ]),
      ]),
      store
        ? h(
            'div',
            { className: exchange.changes.length > 0 ? 'arrow right store write' : 'arrow right store read' },
            [h('span', { className: 'label', text: store })],
          )
        : h('div', { className: 'arrow none' }),
    ]),
    h('div', { className: 'lanes' }, [
      h('div', { className: `arrow left response ${statusClass(exchange.status)}` }, [
        h('span', { className: 'label' }, [
          statusText(exchange.status),
          exchange.error?.scimType ? ` · ${exchange.error.scimType}` : '',
        ]),
      ]),
    ]),
  ]);
  item.dataset['id'] = String(exchange.id);
  item.dataset['step'] = exchange.step;
  item.tabIndex = 0;
  item.addEventListener('click', () => void showDetail(exchange.id));
  item.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') void showDetail(exchange.id);
  });
  ui.flow.append(item);
}

// ---- the detail view -------------------------------------------------------------------------

/** @param {number} id */
async function showDetail(id) {
  selected = id;
  for (const element of document.querySelectorAll('.selected')) element.classList.remove('selected');
  for (const element of document.querySelectorAll(`[data-id="${id}"]`)) element.classList.add('selected');
  const response = await api(`exchanges/${id}`);
  if (selected !== id) return;
  ui.detail.hidden = false;
  if (!response.ok) {
    ui.detail.replaceChildren(
      closeButton(),
      h('p', {
        className: 'empty',
        text: response.status === 404 ? 'This exchange is no longer kept.' : `HTTP ${response.status}`,
      }),
    );
    return;
  }
  /** @type {ExchangeRecord} */
  const record = await response.json();
  ui.detail.replaceChildren(...detail(record));
}

function closeButton() {
  const button = h('button', { className: 'close', text: '×', title: 'Close' });
  button.type = 'button';
  button.setAttribute('aria-label', 'Close the detail');
  button.addEventListener('click', () => {
    ui.detail.hidden = true;
    selected = undefined;
    for (const element of document.querySelectorAll('.selected')) element.classList.remove('selected');
  });
  return button;
}

/** @param {[string, string][]} pairs */
function table(pairs) {
  return h(
    'table',
    { className: 'pairs' },
    pairs.map(([name, value]) => h('tr', {}, [h('th', { text: name }), h('td', { text: value })])),
  );
}

/** @param {string} title @param {Message} message */
function messageSection(title, message) {
  const section = h('section', {}, [h('h3', { text: title }), table(message.headers)]);
  if (message.body) {
    section.append(h('pre', { className: 'body', text: message.body.text }));
    if (message.body.truncated)
      section.append(
        h('p', { className: 'note', text: 'Cut: the body goes on beyond what the console keeps.' }),
      );
  } else section.append(h('p', { className: 'note', text: 'No body.' }));
  return section;
}

/** @param {unknown} value */
function shown(value) {
  return value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

/** @param {StoreChange} change */
function changeSection(change) {
  const title = `${change.deactivated ? 'deactivated' : change.kind} ${change.resourceType} ${change.id}`;
  const section = h('section', { className: 'change' }, [h('h4', { text: title })]);
  if (change.diff.length > 0) {
    section.append(
      h('table', { className: 'diff' }, [
        h('thead', {}, [
          h('tr', {}, [
            h('th', { text: 'attribute' }),
            h('th', { text: 'before' }),
            h('th', { text: 'after' }),
          ]),
        ]),
        h(
          'tbody',
          {},
          change.diff.map((entry) =>
            h('tr', { className: entry.kind }, [
              h('td', { className: 'path', text: entry.path }),
              h('td', { className: 'before', text: shown(entry.before) }),
              h('td', { className: 'after', text: shown(entry.after) }),
            ]),
          ),
        ),
      ]),
    );
  } else section.append(h('p', { className: 'note', text: 'No attribute changed.' }));
  if (change.ignored && change.ignored.length > 0)
    section.append(
      h('p', {
        className: 'note ignored',
        text: `Ignored (no schema defines them, so the server dropped them): ${change.ignored.join(', ')}`,
      }),
    );
  if (change.omitted > 0)
    section.append(h('p', { className: 'note', text: `and ${change.omitted} more changes` }));
  for (const [label, text] of /** @type {[string, string | undefined][]} */ ([
    ['before', change.before],
    ['after', change.after],
  ])) {
    if (text === undefined) continue;
    section.append(
      h('details', {}, [
        h('summary', { text: `The resource ${label}` }),
        h('pre', { className: 'body', text }),
      ]),
    );
  }
  return section;
}

/** @param {ExchangeRecord} record */
function detail(record) {
  /** @type {HTMLElement[]} */
  const parts = [
    closeButton(),
    h('h2', {}, [
      h('span', { className: 'method', text: record.method }),
      ` ${record.path} `,
      h('span', { className: statusClass(record.status), text: statusText(record.status) }),
    ]),
    table([
      ['time', record.time],
      ['duration', `${record.durationMs} ms`],
      ['principal', record.principal],
      ['step', record.step],
      ['sent by', record.source === 'demo' ? 'the console demo' : 'a SCIM client'],
    ]),
  ];
  if (record.error) {
    parts.push(
      h('section', { className: 'scim-error' }, [
        h('h3', { text: 'SCIM error' }),
        table(
          /** @type {[string, string][]} */ ([
            ['status', record.error.status],
            ['scimType', record.error.scimType ?? '(none)'],
            ['detail', record.error.detail ?? '(none)'],
          ]),
        ),
      ]),
    );
  }
  const changes = h('section', {}, [h('h3', { text: 'What changed in the store' })]);
  if (record.changes.length === 0)
    changes.append(h('p', { className: 'note', text: 'Nothing: this exchange wrote nothing.' }));
  for (const change of record.changes) changes.append(changeSection(change));
  parts.push(changes, messageSection('Request', record.request), messageSection('Response', record.response));
  return parts;
}

// ---- controls ------------------------------------------------------------------------------

function renderDemo() {
  const demo = state.demo;
  ui.runDemo.disabled = !demo.available || demo.running;
  ui.hardDelete.disabled = !demo.available || demo.running;
  ui.demoStatus.className = demo.error ? 'error-text' : '';
  ui.demoStatus.textContent = !demo.available
    ? 'the demo needs a SCIM token (demo.token)'
    : demo.running
      ? `running: ${demo.step ?? ''}`
      : (demo.error ?? (demo.runs > 0 ? 'done' : ''));
}

/** @param {'exchanges' | 'flow'} view */
function showView(view) {
  const flow = view === 'flow';
  ui.tabFlow.setAttribute('aria-selected', String(flow));
  ui.tabExchanges.setAttribute('aria-selected', String(!flow));
  ui.flowView.hidden = !flow;
  ui.exchangesView.hidden = flow;
}

ui.signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void signIn(ui.tokenInput.value).then((ok) => {
    ui.tokenInput.value = '';
    if (ok) open();
  });
});
ui.runDemo.addEventListener('click', () => {
  ui.runDemo.disabled = true;
  void api('demo', { method: 'POST', body: JSON.stringify({ hardDelete: ui.hardDelete.checked }) }).then(
    async (response) => {
      if (response.ok) return;
      const body = await response.json().catch(() => ({}));
      state.demo = {
        ...state.demo,
        running: false,
        error: typeof body.message === 'string' ? body.message : `HTTP ${response.status}`,
      };
      renderDemo();
    },
  );
});
ui.clear.addEventListener('click', () => void api('clear', { method: 'POST', body: '{}' }));
ui.signOut.addEventListener('click', () => void api('session', { method: 'DELETE' }).then(showSignIn));
ui.tabExchanges.addEventListener('click', () => showView('exchanges'));
ui.tabFlow.addEventListener('click', () => showView('flow'));
ui.filters.addEventListener('submit', (event) => event.preventDefault());
for (const control of [ui.status, ui.method, ui.resource]) control.addEventListener('change', renderAll);
ui.text.addEventListener('input', renderAll);

void start();
