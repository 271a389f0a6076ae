'use strict';
/*
 * sso.test.js - Jitsi's native SSO in headless Chromium, with the bridge as
 * its token service.  Started by sso.sh, which runs the mock OP, the bridge
 * (on its own origin) and sso-jitsi.py (the stand-in Jitsi origin: a web app
 * with the config.js lines of --check, and a re-implementation of
 * static/sso.html's exchange):
 *
 *   BR_SSO_FRONT   http://127.0.0.1:FP        (Jitsi's origin)
 *   BR_SSO_BRIDGE  http://127.0.0.1:BP/auth   (another origin)
 *   BR_SSO_ISSUER  the mock OP
 *
 * Tokens are never printed.
 */
const assert = require('assert/strict');
const lib = require('./lib');

const FRONT = process.env.BR_SSO_FRONT;
const BRIDGE = process.env.BR_SSO_BRIDGE;
const ISSUER = process.env.BR_SSO_ISSUER;
if (!FRONT || !BRIDGE || !ISSUER) {
	console.error('sso.test.js: set BR_SSO_FRONT, BR_SSO_BRIDGE, BR_SSO_ISSUER');
	process.exit(2);
}

const claims = lib.tokenClaims;
const opRequest = (method, path, body) => lib.mockOp(ISSUER, method, path, body);

(async () => {
	const browser = await lib.launch();
	const t = lib.runner();
	const rec = await lib.newPage(browser, { viewport: { width: 1000, height: 800 } });
	const page = rec.page;
	const popups = [];
	const popupErrors = [];
	rec.context.on('page', (p) => {
		popups.push(p);
		p.on('pageerror', (e) => popupErrors.push(String(e)));
	});
	const login = (room, handle) => page.evaluate(([r, h]) => window.ssoLogin(r, h).then(
		(x) => ({ ok: true, x }), (e) => ({ ok: false, error: e.message })), [room, handle]);
	let first;

	t.test('code flow: sso.html exchanges the bridge code and posts a working token', async () => {
		await page.goto(FRONT + '/Team%20Room');
		const r = await login('Team Room');
		assert.ok(r.ok, 'login failed: ' + r.error);
		first = r.x;
		const c = claims(first.accessToken);
		assert.equal(c.context.user.id, 'alice');
		assert.equal(c.room, 'team%20room');
		const id = claims(first.idToken);
		assert.equal(id.nonce, first.nonce, 'the ID token carries Jitsi\'s nonce');
		assert.equal(id.aud, 'jitsi-meet');
		assert.equal(id.iss, BRIDGE);
		assert.match(first.refreshToken, /^[A-Za-z0-9_-]{40,}$/);
		assert.equal(popups.length, 1);
		if (!popups[0].isClosed())
			await popups[0].waitForEvent('close', { timeout: 5000 });
		const seen = await page.evaluate(() => window.seen);
		assert.deepEqual(seen.map((s) => [s.origin, s.type]), [[FRONT, 'oauth-success']]);
		assert.deepEqual(popupErrors, []);
	});

	t.test('renewal: the handle in state renews at /authorize, no IdP page, new room', async () => {
		const before = (await opRequest('GET', '/_last')).counts;
		const n = popups.length;
		const r = await login('Other Room', first.refreshToken);
		assert.ok(r.ok, 'renewal failed: ' + r.error);
		const after = (await opRequest('GET', '/_last')).counts;
		assert.equal(after.authorize, before.authorize, 'no authorization request at the IdP');
		assert.equal(after.token, before.token + 1, 'one refresh grant');
		assert.equal(claims(r.x.accessToken).room, 'other%20room');
		assert.equal(claims(r.x.idToken).nonce, r.x.nonce, 'code flow with the fresh nonce');
		assert.notEqual(r.x.refreshToken, first.refreshToken);
		const urls = popups.slice(n).map((p) => p.url());
		assert.ok(urls.every((u) => !u.startsWith(ISSUER)), 'the popup never showed the IdP');
	});

	t.test('a denial reaches Jitsi as oauth-error access_denied', async () => {
		await opRequest('POST', '/_control', { user: { groups: [] } });
		try {
			const r = await login('Team Room');
			assert.equal(r.ok, false);
			assert.equal(r.error, 'access_denied');
		} finally {
			await opRequest('POST', '/_control', { user: { groups: ['jitsi-meet'] } });
		}
	});

	const ok = await t.run();
	await browser.close();
	process.exitCode = ok ? 0 : 1;
})().catch((e) => {
	console.error(e);
	console.log('0 passed, 1 failed');
	process.exitCode = 1;
});
