'use strict';
/*
 * inline.test.js - Jitsi's inline mode in headless Chromium.  Started by
 * inline.sh, which runs the mock OP, the bridge behind contrib/demo-jitsi.py
 * --proxy (the demo's stand-in Jitsi page and the bridge on one origin) and
 * a foreign stand-in:
 *
 *   BR_INLINE_FRONT    http://127.0.0.1:FP   (Jitsi's origin; the bridge at /auth)
 *   BR_INLINE_FOREIGN  http://127.0.0.1:XP   (another origin)
 *   BR_INLINE_ISSUER   the mock OP
 *
 * Tokens are never printed.
 */
const assert = require('assert/strict');
const lib = require('./lib');

const FRONT = process.env.BR_INLINE_FRONT;
const FOREIGN = process.env.BR_INLINE_FOREIGN;
const ISSUER = process.env.BR_INLINE_ISSUER;
if (!FRONT || !FOREIGN || !ISSUER) {
	console.error('inline.test.js: set BR_INLINE_FRONT, BR_INLINE_FOREIGN, BR_INLINE_ISSUER');
	process.exit(2);
}
const BRIDGE = FRONT + '/auth';

const claims = lib.tokenClaims;

/* The mock OP's request counts. */
async function opCounts() {
	return (await lib.mockOp(ISSUER, 'GET', '/_last')).counts;
}

(async () => {
	const browser = await lib.launch();
	const t = lib.runner();
	const rec = await lib.newPage(browser, { viewport: { width: 1000, height: 800 } });
	const page = rec.page;
	const popupErrors = [];
	const popups = [];
	rec.context.on('page', (p) => {
		popups.push(p);
		p.on('console', (m) => {
			if (m.type() === 'error')
				popupErrors.push(m.text());
		});
		p.on('pageerror', (e) => popupErrors.push(String(e)));
	});
	let first;

	t.test('popup login posts the token to the opener, which closes the popup', async () => {
		await page.goto(FRONT + '/Team%20Room');
		await page.click('#inline-login');
		const r = await page.evaluate(() => window.last);
		assert.ok(r.ok, 'login failed: ' + r.error);
		first = r.r;
		const c = claims(first.accessToken);
		assert.equal(c.context.user.id, 'alice');
		assert.equal(c.room, 'team%20room');
		assert.match(first.refreshToken, /^[A-Za-z0-9_-]{40,}$/);
		assert.match(first.idToken, /^[A-Za-z0-9_-]+$/);
		assert.equal(popups.length, 1);
		/* the opener closes it; the close event may trail the message */
		if (!popups[0].isClosed())
			await popups[0].waitForEvent('close', { timeout: 5000 });
		assert.ok(popups[0].isClosed(), 'the opener closes the popup');
		const seen = await page.evaluate(() => window.seen);
		assert.deepEqual(seen.map((s) => s.origin), [FRONT], JSON.stringify(seen));
		assert.deepEqual(popupErrors, [], 'no CSP or script error in the popup');
	});

	t.test('without &nonce (no sessionStorage in Jitsi) the popup still posts', async () => {
		const r = await page.evaluate(() => (window.jwt.refreshToken = undefined, window.login(false)).then(
			(x) => ({ ok: true, t: x.accessToken }), (e) => ({ ok: false, e: e.message })));
		assert.ok(r.ok, r.e);
		assert.equal(claims(r.t).context.user.id, 'alice');
	});

	t.test('renewal gives a new token and handle without any IdP page', async () => {
		const before = await opCounts();
		const n = popups.length;
		const held = await page.evaluate(() => window.jwt.refreshToken);
		await page.click('#inline-renew');
		const w = await page.evaluate(() => window.last);
		assert.ok(w.ok, w.error);
		const r = { x: w.r };
		assert.match(await page.innerText('#inline-status'), /^Renewed in the popup: alice/);
		const after = await opCounts();
		assert.equal(after.authorize, before.authorize, 'no authorization request');
		assert.equal(after.token, before.token + 1, 'one refresh grant');
		assert.notEqual(r.x.refreshToken, held);
		assert.equal(claims(r.x.accessToken).context.user.id, 'alice');
		const urls = popups.slice(n).map((p) => p.url());
		assert.ok(urls.every((u) => !u.startsWith(ISSUER)), 'the popup never showed the IdP');
	});

	t.test('a foreign origin opening the same login receives nothing', async () => {
		const other = await rec.context.newPage();
		await other.goto(FOREIGN + '/Team%20Room');
		const pp = rec.context.waitForEvent('page');
		await other.evaluate(() => {
			window.login().catch(() => {});
		});
		const popup = await pp;
		await popup.waitForURL(/\/auth\/callback/, { timeout: 15000 });
		await popup.waitForLoadState('load');
		await other.waitForTimeout(1500);
		const seen = await other.evaluate(() => window.seen);
		assert.deepEqual(seen, [], 'messages reached the foreign page: ' + JSON.stringify(seen));
		assert.ok(!popup.isClosed(), 'nobody closed the popup: the message never arrived');
		await popup.close();
		await other.close();
	});

	t.test('the hidden-iframe logout posts logout-success', async () => {
		const r = await lib.withTimeout(page.evaluate(() => window.silentLogout()), 10000,
			'silent logout');
		assert.equal(r, true);
		const jwt = await page.evaluate(() => window.jwt);
		assert.equal(jwt.jwt, undefined);
	});

	t.test('without an opener the popup page redirects to Jitsi with the token', async () => {
		const p = await rec.context.newPage();
		const state = encodeURIComponent(JSON.stringify({ room: 'Team Room', tenant: '' }));
		await p.goto(BRIDGE + '/login?room=Team%20Room&state=' + state);
		await p.waitForURL(/#jwt=%22/, { timeout: 15000 });
		const u = new URL(p.url());
		assert.equal(u.origin + u.pathname, FRONT + '/Team%20Room');
		const tok = JSON.parse(decodeURIComponent(u.hash.slice('#jwt='.length)));
		assert.equal(claims(tok).context.user.id, 'alice');
		await p.close();
	});

	const ok = await t.run();
	await browser.close();
	process.exitCode = ok ? 0 : 1;
})().catch((e) => {
	console.error(e);
	console.log('0 passed, 1 failed');
	process.exitCode = 1;
});
