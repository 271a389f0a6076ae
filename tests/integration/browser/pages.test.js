'use strict';
/*
 * pages.test.js - what a person sees on each page, in headless Chromium on a
 * phone-sized screen: the text, the links, hostile names shown as literal
 * text (no dialog fires, no script element exists), no sideways scrolling.
 * Screenshots go to tests/artifacts/pages-*.png.
 *
 *   node pages.test.js DIR     DIR holds the files tests/unit/render_pages wrote
 *
 * Later the same checks can run against the bridge itself: only the URL of
 * each page changes (see pageUrl).
 */
const path = require('path');
const { pathToFileURL } = require('url');
const assert = require('assert/strict');
const lib = require('./lib');

const dir = process.argv[2];
if (!dir) {
	console.error('usage: node pages.test.js DIR');
	process.exit(2);
}

const HOSTILE = '<script>alert(1)</script>';
const ZOE = 'Zoë & Co';

/* name: file written by render_pages; title; text a person must see. */
const PAGES = [
	{ name: 'landing', title: 'Join a meeting', text: ['Join a meeting', 'Room name', 'Sign in and join'] },
	{
		name: 'denied',
		title: 'Access denied',
		text: ['Access denied', 'You are signed in as Zoë Ünïcode', `may not join the room ${HOSTILE}`,
			'Sign in with another account', 'Error 403'],
		literal: HOSTILE,
	},
	{
		name: 'denied-hostile-user',
		title: 'Access denied',
		text: ['"onmouseover=alert(1) x=\'<img src=x onerror=alert(2)>', `the room ${ZOE}`,
			'Reason: access_denied'],
		literal: '<img src=x onerror=alert(2)>',
	},
	{ name: 'idp-unavailable', title: 'Sign-in unavailable', text: ['Sign-in is temporarily unavailable', 'try again later', 'Try again', 'Error 503'] },
	{ name: 'idp-timeout', title: 'Sign-in timed out', text: ['did not answer', 'try again later', 'Error 504'] },
	{
		name: 'idp-error',
		title: 'Sign-in failed',
		text: ['Sign-in failed', `Error code: ${HOSTILE}`, 'Error 502'],
		literal: HOSTILE,
	},
	{ name: 'login-expired', title: 'Sign-in expired', text: ['Your sign-in has expired', `Room: ${ZOE}`, 'Try again', 'Error 400'] },
	{ name: 'login-expired-hostile', title: 'Sign-in expired', text: [`Room: ${HOSTILE}`, 'Try again'], literal: HOSTILE },
	{ name: 'login-expired-long', title: 'Sign-in expired', text: ['Try again'] },
	{ name: 'denied-long', title: 'Access denied', text: ['a-very-long-room-name-without-any-spaces'] },
	{ name: 'invalid', title: 'Invalid request', text: [`Reason: room: ${HOSTILE}`, 'Error 400'], literal: HOSTILE },
	{
		name: 'app',
		title: 'Open the Jitsi app',
		text: ['You are signed in as Zoë Ünïcode', `The room ${ZOE} is waiting for you in the iOS app`,
			'Open in the Jitsi app', 'Continue in this browser'],
	},
	{ name: 'not-found', title: 'Page not found', text: ['Page not found', 'Go to the start page', 'Error 404'] },
	{ name: 'method', title: 'Method not allowed', text: ['Method not allowed', 'Error 405'] },
	{ name: 'internal', title: 'Internal error', text: ['Something went wrong', 'Error 500'] },
];

function pageUrl(name) {
	return pathToFileURL(path.join(dir, `${name}.html`)).href;
}

async function main() {
	const browser = await lib.launch();
	const t = lib.runner();
	/* One phone page for all the phone checks (a new context costs seconds
	 * on a busy machine); each test starts by forgetting what the previous
	 * one recorded. */
	let phone = null;
	async function phonePage() {
		if (phone === null)
			phone = await lib.newPage(browser);
		phone.reset();
		return phone;
	}
	try {
		for (const spec of PAGES) {
			t.test(`${spec.name}: text, no script, fits 375 px`, async () => {
				const rec = await phonePage();
				const { page } = rec;
				await page.goto(pageUrl(spec.name));
				assert.equal(await page.title(), spec.title);
				await lib.assertTextIncludes(page, spec.text);
				if (spec.literal)
					assert.ok((await lib.textContent(page)).includes(spec.literal),
						'hostile text not shown literally');
				const counts = await page.evaluate(() => ({
					scripts: document.querySelectorAll('script').length,
					imgs: document.querySelectorAll('img').length,
					refresh: document.querySelectorAll('meta[http-equiv]').length,
					lang: document.documentElement.lang,
					charset: document.characterSet,
					viewport: document.querySelector('meta[name=viewport]')?.content,
				}));
				assert.deepEqual(counts, {
					scripts: 0, imgs: 0, refresh: 0, lang: 'en', charset: 'UTF-8',
					viewport: 'width=device-width, initial-scale=1',
				});
				await lib.assertNoHorizontalScroll(page);
				await lib.screenshot(page, `pages-${spec.name}`);
				/* Give anything that could fire on its own (a dialog, a
				 * redirect) a moment to do so. */
				await page.waitForTimeout(200);
				assert.deepEqual(rec.dialogs, []);
				assert.deepEqual(rec.errors, []);
				assert.equal(page.url(), pageUrl(spec.name));
			});
		}

		t.test('login-expired: try-again link restarts the same room', async () => {
			const { page } = await phonePage();
			await page.goto(pageUrl('login-expired'));
			const href = await page.getAttribute('a.button', 'href');
			assert.equal(href, '/auth/login?room=Zo%C3%AB%20%26%20Co&tenant=acme');
			const params = new URL(href, 'https://x.invalid').searchParams;
			assert.equal(params.get('room'), ZOE);
			assert.equal(params.get('tenant'), 'acme');
			await page.goto(pageUrl('login-expired-hostile'));
			assert.equal(await page.getAttribute('a.button', 'href'),
				'/auth/login?room=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
		});

		t.test('denied: sign in with another account links to P/logout', async () => {
			const { page } = await phonePage();
			await page.goto(pageUrl('denied'));
			const link = page.getByRole('link', { name: 'Sign in with another account' });
			assert.equal(await link.getAttribute('href'), '/auth/logout');
		});

		t.test('landing: the form sends room and tenant to P/login', async () => {
			const { page } = await phonePage();
			await page.goto(pageUrl('landing'));
			const form = await page.$eval('form', (f) => ({
				action: f.getAttribute('action'), method: f.getAttribute('method'),
			}));
			assert.deepEqual(form, { action: '/auth/login', method: 'get' });
			const box = await page.locator('button').boundingBox();
			assert.ok(box.height >= 40, `button too small to tap: ${box.height}px`);
			await page.fill('#room', ZOE);
			/* file:///auth/login does not exist: the request fails and
			 * Chromium commits its error page.  Wait for both, so that no
			 * navigation is still running when the next test starts. */
			const landing = page.url();
			const sent = page.waitForEvent('requestfailed',
				(r) => r.url().includes('/auth/login'));
			const settled = page.waitForEvent('framenavigated',
				(f) => f === page.mainFrame() && f.url() !== landing);
			await page.click('button');
			const url = new URL((await sent).url());
			await settled;
			await page.waitForLoadState();
			assert.equal(url.pathname, '/auth/login');
			assert.equal(url.search, '?room=Zo%C3%AB+%26+Co&tenant=acme');
		});

		t.test('landing and denied in dark mode on a desktop screen', async () => {
			const rec = await lib.newPage(browser, {
				viewport: { width: 1280, height: 800 }, colorScheme: 'dark',
			});
			try {
				const { page } = rec;
				for (const name of ['landing', 'denied']) {
					await page.goto(pageUrl(name));
					await lib.assertNoHorizontalScroll(page);
					await lib.screenshot(page, `pages-${name}-desktop-dark`);
				}
				assert.deepEqual(rec.dialogs, []);
			} finally {
				await rec.context.close();
			}
		});

		return await t.run();
	} finally {
		await browser.close();
	}
}

main().then((ok) => {
	process.exitCode = ok ? 0 : 1;
}, (e) => {
	console.error(e);
	console.log('0 passed, 1 failed');
	process.exitCode = 1;
});
