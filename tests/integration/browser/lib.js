'use strict';
/*
 * lib.js - headless Chromium for the browser tests, through playwright-core
 * and Debian's chromium (no browser download).  Reusable by every browser
 * test: launch(), newPage(), screenshot(), layout helpers and a tiny test
 * runner whose last line is "N passed, N failed".
 *
 *   const lib = require('./lib');
 *   const t = lib.runner();
 *   t.test('landing', async () => { ... });
 *   process.exitCode = (await t.run()) ? 0 : 1;
 *
 * Environment: BR_CHROMIUM (default /usr/bin/chromium), BR_BROWSER_MODULES
 * (where setup installed node_modules), BR_ARTIFACTS (screenshot folder,
 * default <source>/tests/artifacts), BR_BROWSER_TIMEOUT_MS (per test).
 */
const fs = require('fs');
const http = require('http');
const path = require('path');
const assert = require('assert/strict');

const SRCDIR = process.env.BR_SRCDIR || path.resolve(__dirname, '..', '..', '..');
const ARTIFACTS = process.env.BR_ARTIFACTS || path.join(SRCDIR, 'tests', 'artifacts');
const CHROMIUM = process.env.BR_CHROMIUM || '/usr/bin/chromium';

/* Root runs Chromium without its sandbox; the rest keeps a headless run
 * off the network (no component updates, sync, QUIC probes). */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

/* playwright-core from where setup put it: $BR_BROWSER_MODULES/node_modules,
 * this folder's node_modules, or NODE_PATH. */
function playwright() {
	const dirs = [];
	if (process.env.BR_BROWSER_MODULES)
		dirs.push(path.join(process.env.BR_BROWSER_MODULES, 'node_modules'));
	dirs.push(path.join(__dirname, 'node_modules'));
	for (const dir of dirs) {
		const p = path.join(dir, 'playwright-core');
		if (fs.existsSync(p))
			return require(p);
	}
	return require('playwright-core');
}

/* Starts headless Chromium.  opts.args adds command-line switches. */
async function launch(opts = {}) {
	const { chromium } = playwright();
	return chromium.launch({
		executablePath: opts.executablePath || CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS.concat(opts.args || []),
		timeout: opts.timeout || 30000,
	});
}

/* Phone-sized by default (375 x 667, mobile layout, so the viewport meta
 * matters).  Returns { context, page, dialogs, errors, responses }: every
 * dialog (alert/confirm/prompt) is recorded and dismissed, page errors and
 * console errors are recorded, and so is each main-frame response (url,
 * status, headers) for header checks against a real server. */
async function newPage(browser, opts = {}) {
	const phone = opts.viewport === undefined;
	const context = await browser.newContext({
		viewport: opts.viewport || { width: 375, height: 667 },
		isMobile: opts.isMobile !== undefined ? opts.isMobile : phone,
		hasTouch: opts.hasTouch !== undefined ? opts.hasTouch : phone,
		deviceScaleFactor: opts.deviceScaleFactor || 1,
		colorScheme: opts.colorScheme || 'light',
		locale: opts.locale || 'en-US',
		javaScriptEnabled: opts.javaScriptEnabled !== undefined ? opts.javaScriptEnabled : true,
		ignoreHTTPSErrors: !!opts.ignoreHTTPSErrors,
	});
	const page = await context.newPage();
	page.setDefaultTimeout(opts.timeout || 15000);
	const rec = {
		context,
		page,
		dialogs: [],
		errors: [],
		responses: [],
		/* Forgets what was recorded, to reuse the page for the next test
		 * (a new context costs seconds on a busy machine). */
		reset() {
			rec.dialogs.length = 0;
			rec.errors.length = 0;
			rec.responses.length = 0;
		},
	};
	page.on('dialog', (d) => {
		rec.dialogs.push({ type: d.type(), message: d.message() });
		d.dismiss().catch(() => {});
	});
	page.on('pageerror', (e) => rec.errors.push(String(e)));
	page.on('console', (m) => {
		if (m.type() === 'error')
			rec.errors.push(m.text());
	});
	page.on('response', (r) => {
		if (r.frame() === page.mainFrame() && r.request().isNavigationRequest())
			rec.responses.push({ url: r.url(), status: r.status(), headers: r.headers() });
	});
	return rec;
}

function safeName(name) {
	return String(name).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}

/* Saves a full-page PNG as <artifacts>/<name>.png and returns its path. */
async function screenshot(page, name, opts = {}) {
	const dir = opts.dir || ARTIFACTS;
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, safeName(name) + '.png');
	await page.screenshot({ path: file, fullPage: opts.fullPage !== false });
	return file;
}

/* Widths that tell whether the page scrolls sideways. */
async function layoutWidths(page) {
	return page.evaluate(() => ({
		inner: window.innerWidth,
		client: document.documentElement.clientWidth,
		scroll: document.documentElement.scrollWidth,
		body: document.body ? document.body.scrollWidth : 0,
	}));
}

async function assertNoHorizontalScroll(page) {
	const w = await layoutWidths(page);
	assert.ok(w.scroll <= w.client && w.body <= w.client,
		`page scrolls sideways: ${JSON.stringify(w)}`);
	return w;
}

/* What a person reads (innerText) and the raw text content. */
async function visibleText(page) {
	return page.innerText('body');
}

async function textContent(page) {
	return page.evaluate(() => document.body.textContent);
}

async function assertTextIncludes(page, wanted) {
	const text = await visibleText(page);
	for (const w of [].concat(wanted))
		assert.ok(text.includes(w), `visible text lacks ${JSON.stringify(w)}:\n${text}`);
	return text;
}

function withTimeout(promise, ms, what) {
	let timer;
	const t = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
	});
	return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

/* A sequential test runner; run() prints "ok"/"not ok" per test and ends
 * with the line "N passed, N failed" that CI reads, and resolves to true
 * when nothing failed. */
function runner(opts = {}) {
	const tests = [];
	const timeout = opts.timeout || Number(process.env.BR_BROWSER_TIMEOUT_MS) || 60000;
	return {
		test(name, fn) {
			tests.push({ name, fn });
		},
		async run() {
			let passed = 0;
			let failed = 0;
			for (const t of tests) {
				const start = Date.now();
				try {
					await withTimeout(Promise.resolve().then(t.fn), timeout, t.name);
					console.log(`ok - ${t.name} (${Date.now() - start} ms)`);
					passed++;
				} catch (e) {
					console.log(`not ok - ${t.name}`);
					console.log(String((e && e.stack) || e).replace(/^/gm, '    '));
					failed++;
				}
			}
			console.log(`${passed} passed, ${failed} failed`);
			return failed === 0 && passed > 0;
		},
	};
}

/* The claims of a JWS (its payload, decoded): for assertions, never
 * printed. */
function tokenClaims(token) {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

/* A JSON request to the mock OP's control endpoints (GET /_last, POST
 * /_control); resolves to the decoded answer ({} when empty). */
function mockOp(issuer, method, path, body) {
	return new Promise((resolve, reject) => {
		const data = body ? JSON.stringify(body) : '';
		const req = http.request(issuer + path, {
			method,
			headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
		},
			(res) => {
				let out = '';
				res.on('data', (c) => (out += c));
				res.on('end', () => resolve(out ? JSON.parse(out) : {}));
			});
		req.on('error', reject);
		req.end(data);
	});
}

module.exports = {
	ARTIFACTS,
	CHROMIUM,
	CHROMIUM_ARGS,
	SRCDIR,
	assertNoHorizontalScroll,
	assertTextIncludes,
	launch,
	layoutWidths,
	mockOp,
	newPage,
	playwright,
	runner,
	screenshot,
	textContent,
	tokenClaims,
	visibleText,
	withTimeout,
};
