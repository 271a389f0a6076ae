'use strict';
/*
 * login.test.js - the whole sign-in in headless Chromium against a real
 * LemonLDAP::NG: the bridge's landing page, the IdP's login form, and the
 * (demo) Jitsi page with the token, whose signature the demo Jitsi checks
 * with the bridge's /asap key as Prosody does.  Started by login.sh, which
 * runs the IdP, the bridge (below the prefix /auth) and contrib/demo-jitsi.py
 * and passes their URLs:
 *
 *   BR_LOGIN_BRIDGE   http://127.0.0.1:BP/auth   (public_url)
 *   BR_LOGIN_JITSI    http://127.0.0.1:JP        ([jitsi] url)
 *   BR_LOGIN_ISSUER   http://127.0.0.1:IP/       (LemonLDAP::NG)
 *
 * Users (password = login): dwho (jitsi-meet, jitsi-moderators), rtyler
 * (jitsi-meet), msmith (no group: denied).  Each user gets a fresh browser
 * context.  Screenshots: tests/artifacts/login-*.png.  Tokens are never
 * printed: URLs in messages lose their fragment.
 */
const crypto = require('crypto');
const assert = require('assert/strict');
const lib = require('./lib');

const BRIDGE = process.env.BR_LOGIN_BRIDGE;
const JITSI = process.env.BR_LOGIN_JITSI;
const ISSUER = process.env.BR_LOGIN_ISSUER;
if (!BRIDGE || !JITSI || !ISSUER) {
	console.error('login.test.js: set BR_LOGIN_BRIDGE, BR_LOGIN_JITSI and BR_LOGIN_ISSUER (see login.sh)');
	process.exit(2);
}

/* Typed with upper case and precomposed non-ASCII letters. */
const ROOM = 'Caf\u00e9 Zo\u00eb Board';
/* Where the bridge sends the browser: encodeURIComponent of the room as typed. */
const ROOM_PATH = '/Caf%C3%A9%20Zo%C3%AB%20Board';
/* The token's room: Jitsi's backend-safe form (NFKC, lower case, encoded). */
const ROOM_CLAIM = 'caf%c3%a9%20zo%c3%ab%20board';

const USERS = {
	dwho: { name: 'Doctor Who', email: 'dwho@badwolf.org', owner: true },
	rtyler: { name: 'Rose Tyler', email: 'rtyler@badwolf.org', owner: false },
	msmith: { name: 'Mickey Smith', email: 'msmith@badwolf.org' },
};

const WAIT = 20000;
const T0 = Date.now();

/* A progress line with the time since the start, for slow CI machines. */
function note(what) {
	console.log(`# ${((Date.now() - T0) / 1000).toFixed(1)} s: ${what}`);
}

/* A URL fit for a message: no fragment (the token lives there). */
function shown(url) {
	const i = String(url).indexOf('#');
	return i < 0 ? String(url) : String(url).slice(0, i) + '#<redacted>';
}

/* Any text fit for a message: no token, code or state in it. */
function redact(text) {
	return String(text)
		.replace(/#jwt=[^\s'"]*/g, '#jwt=<redacted>')
		.replace(/([?&](?:code|state|session_state|id_token_hint)=)[^&#\s'"]*/g, '$1<redacted>');
}

function b64json(part) {
	return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

/* The token from a URL ending in #jwt=%22<token>%22 (the JSON string Jitsi's
 * web app expects), decoded; the token itself is returned for comparisons
 * only. */
function tokenFrom(url) {
	const hash = new URL(url).hash;
	assert.match(hash, /^#jwt=%22[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+%22(&|$)/,
		'fragment is not #jwt=%22<token>%22');
	const token = JSON.parse(decodeURIComponent(hash.slice('#jwt='.length).split('&')[0]));
	const [h, p] = token.split('.');
	return { token, header: b64json(h), claims: b64json(p) };
}

async function discovery() {
	const r = await fetch(new URL('.well-known/openid-configuration', ISSUER));
	assert.equal(r.status, 200, 'IdP discovery');
	return r.json();
}

/* Waits until the main frame's URL satisfies pred (a string prefix or a
 * function of the URL string). */
async function waitUrl(page, pred, what) {
	const f = typeof pred === 'string' ? (u) => u.startsWith(pred) : pred;
	try {
		await page.waitForURL((u) => f(u.href), { timeout: WAIT, waitUntil: 'commit' });
	} catch (e) {
		throw new Error(`${what}: still at ${shown(page.url())} after ${WAIT} ms` +
			(page.brErrors.length ? `; page errors: ${redact(page.brErrors.join(' | '))}` : ''));
	}
}

function onIdp(url) {
	return url.startsWith(ISSUER);
}

/* The bridge's landing page: type the room and submit; ends on the IdP's
 * login form (or wherever the IdP sends the browser when it knows it). */
async function startAtLanding(page, shot) {
	note(`${shot}: landing page`);
	const resp = await page.goto(BRIDGE + '/');
	assert.equal(resp.status(), 200, 'landing page status');
	assert.equal(await page.title(), 'Join a meeting');
	await lib.screenshot(page, `${shot}-1-landing`);
	const room = page.locator('#room');
	await room.click();
	await room.pressSequentially(ROOM);
	assert.equal(await room.inputValue(), ROOM);
	await lib.screenshot(page, `${shot}-2-room-typed`);
	await Promise.all([
		waitUrl(page, ISSUER, 'landing form submitted, to the IdP'),
		page.locator('form button').click(),
	]);
}

/* The IdP's login form: fill user and password, submit. */
async function signInAtIdp(page, user, shot) {
	const form = page.locator('form[id^="lform"]');
	await form.locator('input[name="user"]').waitFor({ timeout: WAIT });
	note(`${shot}: IdP login form`);
	await lib.screenshot(page, `${shot}-3-idp-form`);
	await form.locator('input[name="user"]').fill(user);
	await form.locator('input[name="password"]').fill(user);
	await lib.screenshot(page, `${shot}-4-idp-filled`);
	const left = waitUrl(page, (u) => !onIdp(u), 'IdP login submitted, back to the bridge');
	await form.locator('button[type="submit"]').first().click();
	await left;
	note(`${shot}: IdP form submitted`);
}

/* On the demo Jitsi page: waits for the verdict of its /verify check. */
async function verdict(page) {
	await page.waitForFunction(() => {
		const el = document.getElementById('verdict');
		return el && /^(Signature verified|NOT verified)/.test(el.textContent);
	}, null, { timeout: WAIT });
	return page.textContent('#verdict');
}

/* The asap URL the demo Jitsi (like Prosody) fetched the key from. */
function asapUrl(kid) {
	return `${BRIDGE}/asap/${crypto.createHash('sha256').update(kid).digest('hex')}.pem`;
}

/* Asserts the token in the page's URL for USERS[user] and room claim
 * roomClaim; returns it decoded. */
function checkToken(url, user, roomClaim) {
	const u = USERS[user];
	const { token, header, claims } = tokenFrom(url);
	assert.equal(header.alg, 'RS256');
	assert.equal(header.typ, 'JWT');
	assert.equal(typeof header.kid, 'string');
	assert.ok(header.kid.length > 0, 'kid');
	const now = Math.floor(Date.now() / 1000);
	assert.equal(claims.iss, 'jitsi');
	assert.equal(claims.aud, 'jitsi');
	assert.equal(claims.sub, 'meet.example.org');
	assert.equal(String(claims.room).toLowerCase(), roomClaim.toLowerCase());
	assert.equal(typeof claims.exp, 'number');
	assert.equal(typeof claims.nbf, 'number');
	assert.ok(claims.exp > now, `exp ${claims.exp} not after now ${now}`);
	assert.ok(claims.nbf <= now, `nbf ${claims.nbf} after now ${now}`);
	assert.ok(typeof claims.iat === 'number' && claims.iat <= now + 1, 'iat');
	const cu = claims.context && claims.context.user;
	assert.ok(cu, 'context.user');
	assert.equal(cu.id, user);
	assert.equal(cu.name, u.name);
	assert.equal(cu.email, u.email);
	assert.equal(cu.affiliation, u.owner ? 'owner' : 'member');
	assert.equal(cu.moderator, u.owner);
	assert.deepEqual(claims.context.features, { recording: u.owner });
	return { token, header, claims };
}

/* The way from the landing page to the IdP: the form's GET of
 * P/login?room=..., answered with a redirect to the authorization endpoint
 * with the callback below the prefix, PKCE and the groups scope. */
async function checkLoginStart(rec, meta) {
	const start = rec.responses.filter((r) => r.url.startsWith(BRIDGE + '/login?'));
	assert.equal(start.length, 1, 'one /login');
	assert.equal(start[0].url, `${BRIDGE}/login?room=Caf%C3%A9+Zo%C3%AB+Board`);
	assert.equal(start[0].status, 302);
	const loc = new URL(start[0].headers.location);
	assert.equal(loc.origin + loc.pathname, meta.authorization_endpoint);
	const q = loc.searchParams;
	assert.equal(q.get('response_type'), 'code');
	assert.equal(q.get('client_id'), 'jitsi');
	assert.equal(q.get('redirect_uri'), `${BRIDGE}/callback`);
	assert.deepEqual(q.get('scope').split(' ').sort(), ['email', 'groups', 'openid', 'profile']);
	assert.equal(q.get('code_challenge_method'), 'S256');
	assert.equal(q.get('prompt'), null);
	/* The login cookie: only for the prefix, HttpOnly, SameSite=Lax (its
	 * value is never shown). */
	const cookies = (await loginCookies(rec)).map((c) => ({
		path: c.path, httpOnly: c.httpOnly, sameSite: c.sameSite, secure: c.secure,
	}));
	assert.deepEqual(cookies, [{ path: '/auth/', httpOnly: true, sameSite: 'Lax', secure: false }]);
}

/* The bridge's login cookies in rec's browser context. */
async function loginCookies(rec) {
	const all = await rec.context.cookies(BRIDGE + '/');
	return all.filter((c) => /^jitsi_oidc_[A-Za-z0-9_-]{8}$/.test(c.name));
}

/* The whole flow for an allowed user, in rec's page; returns the token. */
async function allowedLogin(rec, meta, user) {
	const { page } = rec;
	const shot = `login-${user}`;
	await startAtLanding(page, shot);
	await checkLoginStart(rec, meta);
	await signInAtIdp(page, user, shot);
	await waitUrl(page, JITSI + ROOM_PATH + '#', 'after the IdP, to the Jitsi room');
	assert.equal(shown(page.url()), `${JITSI}${ROOM_PATH}#<redacted>`);
	const t = checkToken(page.url(), user, ROOM_CLAIM);
	const v = await verdict(page);
	note(`${shot}: Jitsi page, token checked`);
	assert.equal(v, `Signature verified with ${asapUrl(t.header.kid)}`);
	await lib.screenshot(page, `${shot}-5-jitsi`);
	assertNoCspViolation(rec);
	/* The way there: the bridge's /callback answered 302, nothing else. */
	const cb = rec.responses.filter((r) => r.url.startsWith(BRIDGE + '/callback'));
	assert.equal(cb.length, 1, 'one /callback');
	assert.equal(cb[0].status, 302);
	/* The login state is spent: its cookie expired. */
	assert.equal((await loginCookies(rec)).length, 0, 'login cookie left after /callback');
	return t;
}

/* Follows the bridge's /logout (already under way in page) to the IdP's
 * end-session endpoint, accepts its confirmation, and ends on the Jitsi
 * url (post_logout_redirect_uri). */
async function logoutAtIdp(rec, meta, shot) {
	const { page } = rec;
	assert.ok(meta.end_session_endpoint, 'IdP publishes end_session_endpoint');
	await waitUrl(page, meta.end_session_endpoint, '/auth/logout to the end-session endpoint');
	const at = new URL(page.url());
	assert.equal(at.searchParams.get('post_logout_redirect_uri'), JITSI);
	const lo = rec.responses.filter((r) => r.url === BRIDGE + '/logout');
	assert.equal(lo.length, 1, 'one /logout');
	assert.equal(lo[0].status, 302);
	await page.waitForLoadState('load');
	await lib.screenshot(page, `${shot}-idp-logout`);
	/* LemonLDAP::NG asks "Do you want to logout?" first. */
	const accept = page.locator('form.confirm button.positive');
	if (await accept.count() > 0) {
		await Promise.all([
			waitUrl(page, (u) => u === JITSI || u === JITSI + '/', 'logout confirmed, to the Jitsi url'),
			accept.click(),
		]);
	} else {
		await waitUrl(page, (u) => u === JITSI || u === JITSI + '/', 'after logout, to the Jitsi url');
	}
	await lib.screenshot(page, `${shot}-after-logout`);
}

/* After logout the IdP has no session: prompt=none cannot end silently on
 * Jitsi, the login form comes back. */
async function assertSignedOut(page) {
	await page.goto(`${BRIDGE}/login?room=After&prompt=none`, { waitUntil: 'commit' });
	await page.locator('form[id^="lform"] input[name="user"]').waitFor({ timeout: WAIT });
	assert.ok(onIdp(page.url()), `login form not on the IdP: ${shown(page.url())}`);
}

/* No page on the way broke a Content-Security-Policy (a blocked form
 * redirect shows up only as a console error). */
function assertNoCspViolation(rec) {
	const csp = rec.errors.filter((e) => /Content Security Policy/i.test(e));
	assert.deepEqual(csp.map(redact), [], 'CSP violations');
}

/* Test bodies whose failures are printed without tokens or codes. */
function redacted(fn) {
	return async () => {
		try {
			await fn();
		} catch (e) {
			const err = new Error(redact((e && e.message) || e));
			err.stack = redact((e && e.stack) || err.stack);
			throw err;
		}
	};
}

async function main() {
	const meta = await discovery();
	const browser = await lib.launch();
	note('Chromium started');
	const t = lib.runner();
	const contexts = [];
	async function fresh() {
		const rec = await lib.newPage(browser, { viewport: { width: 1024, height: 768 } });
		rec.page.setDefaultTimeout(WAIT);
		rec.page.brErrors = rec.errors;
		contexts.push(rec.context);
		return rec;
	}
	let dwho = null;
	let first = null;
	try {
		t.test('dwho: landing -> IdP -> Jitsi room, moderator token verified', redacted(async () => {
			dwho = await fresh();
			first = await allowedLogin(dwho, meta, 'dwho');
		}));

		t.test('dwho: prompt=none with the IdP session -> Jitsi, fresh token, no login form', redacted(async () => {
			assert.ok(dwho && first, 'needs the first test');
			const { page } = dwho;
			dwho.reset();
			await page.goto(`${BRIDGE}/login?room=Second&prompt=none`, { waitUntil: 'commit' });
			await waitUrl(page, `${JITSI}/Second#`, 'prompt=none to the Jitsi room');
			/* Only redirects on the way: no page of the IdP was shown. */
			for (const r of dwho.responses) {
				if (onIdp(r.url))
					assert.ok(r.status >= 300 && r.status < 400,
						`the IdP answered ${r.status} at ${shown(r.url)}`);
			}
			assert.ok(dwho.responses.some((r) => onIdp(r.url)), 'went through the IdP');
			const auth = dwho.responses.find((r) => r.url.startsWith(meta.authorization_endpoint));
			assert.ok(auth, 'authorization request');
			assert.equal(new URL(auth.url).searchParams.get('prompt'), 'none');
			const tok = checkToken(page.url(), 'dwho', 'second');
			assert.notEqual(tok.token, first.token, 'a fresh token');
			assert.ok(tok.claims.iat >= first.claims.iat);
			assert.equal(await verdict(page), `Signature verified with ${asapUrl(tok.header.kid)}`);
			await lib.screenshot(page, 'login-dwho-6-prompt-none');
		}));

		t.test('dwho: /auth/logout -> IdP end-session -> Jitsi url; signed out', redacted(async () => {
			assert.ok(dwho, 'needs the first test');
			const { page } = dwho;
			dwho.reset();
			await page.goto(`${BRIDGE}/logout`, { waitUntil: 'commit' });
			await logoutAtIdp(dwho, meta, 'login-dwho-7');
			await assertSignedOut(page);
			await lib.screenshot(page, 'login-dwho-8-signed-out');
		}));

		t.test('rtyler: landing -> IdP -> Jitsi room, member token verified', redacted(async () => {
			const rec = await fresh();
			await allowedLogin(rec, meta, 'rtyler');
		}));

		t.test('rtyler from the iOS app: app page, "Continue in this browser" -> Jitsi with the choices', redacted(async () => {
			const rec = await fresh();
			const { page } = rec;
			/* What Jitsi's iOS app sends as {state}: the room, its flag, the
			 * choices made on its pre-join screen. */
			const state = {
				room: ROOM, roomSafe: ROOM_CLAIM, ios: true,
				'config.prejoinConfig.enabled': false, 'config.startWithAudioMuted': true,
				'config.subject': 'Q&A #1',
			};
			note('login-ios: /login with the app\'s state');
			await page.goto(`${BRIDGE}/login?room=&state=${encodeURIComponent(JSON.stringify(state))}`,
				{ waitUntil: 'commit' });
			await signInAtIdp(page, 'rtyler', 'login-ios');
			await waitUrl(page, BRIDGE + '/callback?', 'after the IdP, to the bridge');
			await page.waitForLoadState('load');
			await lib.screenshot(page, 'login-ios-5-app-page');
			const cb = rec.responses.filter((r) => r.url.startsWith(BRIDGE + '/callback'));
			assert.equal(cb.length, 1, 'one /callback');
			assert.equal(cb[0].status, 200);
			assert.equal(cb[0].headers.location, undefined, 'no Location');
			assert.equal(cb[0].headers['cache-control'], 'no-store');
			assert.equal(await page.title(), 'Open the Jitsi app');
			await lib.assertTextIncludes(page, ['Rose Tyler', `The room ${ROOM}`, 'iOS app',
				'Open in the Jitsi app', 'Continue in this browser']);
			const tail = '&config.prejoinConfig.enabled=false&config.startWithAudioMuted=true' +
				'&config.subject=%22Q%26A%20%231%22';
			const host = new URL(JITSI).host;
			const appHref = await page.getAttribute('#open-app', 'href');
			assert.ok(appHref.startsWith(`org.jitsi.meet://${host}${ROOM_PATH}#jwt=%22`),
				`app link: ${shown(appHref)}`);
			assert.ok(appHref.endsWith('%22' + tail), 'app link ends with the choices');
			const webHref = await page.getAttribute('#continue', 'href');
			assert.equal(webHref.replace(/#jwt=%22[^%]+%22/, '#jwt=T'), `${JITSI}${ROOM_PATH}#jwt=T${tail}`);
			assert.equal(appHref.slice(appHref.indexOf('#')), webHref.slice(webHref.indexOf('#')),
				'the same token and choices in both links');
			/* An iOS scheme can be claimed by another app: nothing opens it
			 * by itself. */
			const moving = await page.evaluate(() => ({
				scripts: document.querySelectorAll('script').length,
				refresh: document.querySelectorAll('meta[http-equiv]').length,
			}));
			assert.deepEqual(moving, { scripts: 0, refresh: 0 });
			await page.waitForTimeout(300);
			assert.ok(page.url().startsWith(BRIDGE + '/callback?'), 'the page stays');
			assert.equal((await loginCookies(rec)).length, 0, 'login cookie left after /callback');
			rec.reset();
			await Promise.all([
				waitUrl(page, JITSI + ROOM_PATH + '#', 'continue in the browser, to the Jitsi room'),
				page.locator('#continue').click(),
			]);
			const t = checkToken(page.url(), 'rtyler', ROOM_CLAIM);
			assert.equal(await verdict(page), `Signature verified with ${asapUrl(t.header.kid)}`);
			assert.equal(await page.textContent('#overrides'),
				'config.prejoinConfig.enabled = false\nconfig.startWithAudioMuted = true\n' +
				'config.subject = "Q&A #1"');
			await lib.screenshot(page, 'login-ios-6-jitsi');
			assertNoCspViolation(rec);
		}));

		t.test('msmith: denied page (403, account and room named), link signs out', redacted(async () => {
			const rec = await fresh();
			const { page } = rec;
			await startAtLanding(page, 'login-msmith');
			await checkLoginStart(rec, meta);
			await signInAtIdp(page, 'msmith', 'login-msmith');
			await waitUrl(page, BRIDGE + '/callback?', 'after the IdP, to the bridge');
			await page.waitForLoadState('load');
			await lib.screenshot(page, 'login-msmith-5-denied');
			const cb = rec.responses.filter((r) => r.url.startsWith(BRIDGE + '/callback'));
			assert.equal(cb.length, 1, 'one /callback');
			assert.equal(cb[0].status, 403);
			assert.equal(cb[0].headers.location, undefined, 'no Location');
			assert.equal(await page.title(), 'Access denied');
			await lib.assertTextIncludes(page, [
				'Access denied', 'Mickey Smith', `may not join the room ${ROOM}`, 'Error 403',
			]);
			/* Nothing moves on by itself: no script, no refresh. */
			const moving = await page.evaluate(() => ({
				scripts: document.querySelectorAll('script').length,
				refresh: document.querySelectorAll('meta[http-equiv]').length,
			}));
			assert.deepEqual(moving, { scripts: 0, refresh: 0 });
			assert.ok(page.url().startsWith(BRIDGE + '/callback?'));
			assert.deepEqual(rec.dialogs, []);
			assertNoCspViolation(rec);
			assert.equal((await loginCookies(rec)).length, 0, 'login cookie left after /callback');
			const link = page.getByRole('link', { name: 'Sign in with another account' });
			assert.equal(await link.getAttribute('href'), '/auth/logout');
			rec.reset();
			await link.click();
			await logoutAtIdp(rec, meta, 'login-msmith-6');
			await assertSignedOut(page);
		}));

		return await t.run();
	} finally {
		for (const c of contexts)
			await c.close().catch(() => {});
		await browser.close();
	}
}

main().then((ok) => {
	process.exitCode = ok ? 0 : 1;
}, (e) => {
	console.error(redact(String((e && e.stack) || e)));
	console.log('0 passed, 1 failed');
	process.exitCode = 1;
});
