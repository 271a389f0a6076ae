'use strict';
/*
 * pages.test.js - what a person sees on each page, in headless Chromium on a
 * phone-sized screen: the text, the links, hostile names shown as literal
 * text (no dialog fires, no script element exists), no sideways scrolling.
 * Screenshots go to tests/artifacts/pages-*.png.
 *
 *   node pages.test.js DIR     DIR holds the files tests/unit/render_pages wrote
 *
 * The German (de/) and the branded French (branded/) pages are served over
 * HTTP by a small server here, with the CSP render_pages wrote for each and
 * the logo and style sheet at /auth/static/ as the bridge serves them: the
 * browser enforces the CSP, and every request the page makes is checked to
 * stay on that server.
 *
 * Later the same checks can run against the bridge itself: only the URL of
 * each page changes (see pageUrl).
 */
const fs = require('fs');
const http = require('http');
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
	{ name: 'idp-unavailable', title: 'Sign-in is temporarily unavailable', text: ['Sign-in is temporarily unavailable', 'try again later', 'Try again', 'Error 503'] },
	{ name: 'idp-timeout', title: 'The sign-in service did not answer', text: ['did not answer', 'try again later', 'Error 504'] },
	{
		name: 'idp-error',
		title: 'Sign-in failed',
		text: ['Sign-in failed', `Error code: ${HOSTILE}`, 'Error 502'],
		literal: HOSTILE,
	},
	{ name: 'login-expired', title: 'Your sign-in has expired', text: ['Your sign-in has expired', `Room: ${ZOE}`, 'Try again', 'Error 400'] },
	{ name: 'login-expired-hostile', title: 'Your sign-in has expired', text: [`Room: ${HOSTILE}`, 'Try again'], literal: HOSTILE },
	{ name: 'login-expired-long', title: 'Your sign-in has expired', text: ['Try again'] },
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

/* The same pages in German: title (the heading) and text. */
const DE = {
	landing: ['Einer Konferenz beitreten', ['Name des Raums', 'Anmelden und beitreten',
		'mit dem Konto Ihrer Organisation an']],
	denied: ['Kein Zugang', ['Sie sind als Zoë Ünïcode angemeldet',
		`dem Raum ${HOSTILE} nicht beitreten`, 'Mit einem anderen Konto anmelden', 'Fehler 403']],
	'denied-hostile-user': ['Kein Zugang', [`dem Raum ${ZOE} nicht beitreten`,
		'Grund: access_denied']],
	'idp-unavailable': ['Die Anmeldung ist vorübergehend nicht möglich',
		['nicht erreichbar', 'Erneut versuchen', 'Fehler 503']],
	'idp-timeout': ['Der Anmeldedienst antwortet nicht', ['nicht rechtzeitig', 'Fehler 504']],
	'idp-error': ['Die Anmeldung ist fehlgeschlagen', [`Fehlercode: ${HOSTILE}`, 'Fehler 502']],
	'login-expired': ['Ihre Anmeldung ist abgelaufen', [`Raum: ${ZOE}`, 'Erneut versuchen',
		'Fehler 400']],
	'login-expired-hostile': ['Ihre Anmeldung ist abgelaufen', [`Raum: ${HOSTILE}`]],
	'login-expired-long': ['Ihre Anmeldung ist abgelaufen', ['Erneut versuchen']],
	'denied-long': ['Kein Zugang', ['a-very-long-room-name-without-any-spaces']],
	invalid: ['Ungültige Anfrage', [`Grund: room: ${HOSTILE}`, 'Zur Startseite', 'Fehler 400']],
	'not-found': ['Seite nicht gefunden', ['Zur Startseite', 'Fehler 404']],
	method: ['Anfrageart nicht erlaubt', ['Fehler 405']],
	internal: ['Interner Fehler', ['Bei uns ist etwas schiefgegangen', 'Fehler 500']],
	app: ['Jitsi-App öffnen', ['Sie sind als Zoë Ünïcode angemeldet',
		`Der Raum ${ZOE} wartet in der iOS-App auf Sie`, 'In der Jitsi-App öffnen',
		'In diesem Browser fortfahren', 'Geben Sie sie nicht weiter']],
};

/* The branded pages: French, the organisation in the title. */
const ORG = "Université d'Exemple <&>";
const SUPPORT = 'Besoin d\'aide\u00a0? Service informatique : 01 23 45 67 89, support@exemple.fr';
const FR = {
	landing: ['Rejoindre une réunion', [`avec votre compte ${ORG}.`, 'Nom de la salle',
		'Se connecter et rejoindre']],
	denied: ['Accès refusé', ['Vous utilisez le compte Zoë Ünïcode',
		`la salle ${HOSTILE}`, 'Se connecter avec un autre compte', 'Erreur 403']],
	'denied-hostile-user': ['Accès refusé', [`la salle ${ZOE}`, 'Motif\u00a0: access_denied']],
	'idp-unavailable': ['Connexion momentanément indisponible', ['Réessayer', 'Erreur 503']],
	'idp-timeout': ['Le service de connexion ne répond pas', ['Erreur 504']],
	'idp-error': ['Échec de la connexion', [`Code d'erreur\u00a0: ${HOSTILE}`, 'Erreur 502']],
	'login-expired': ['Votre connexion a expiré', [`Salle\u00a0: ${ZOE}`, 'Réessayer']],
	'login-expired-hostile': ['Votre connexion a expiré', [`Salle\u00a0: ${HOSTILE}`]],
	'login-expired-long': ['Votre connexion a expiré', ['Réessayer']],
	'denied-long': ['Accès refusé', ['a-very-long-room-name-without-any-spaces']],
	invalid: ['Requête invalide', ['Retour à l\'accueil', 'Erreur 400']],
	'not-found': ['Page introuvable', ['Erreur 404']],
	method: ['Méthode non autorisée', ['Erreur 405']],
	internal: ['Erreur interne', ['Un problème est survenu', 'Erreur 500']],
	app: ["Ouvrir l'application Jitsi", ['Vous utilisez le compte Zoë Ünïcode',
		`La salle ${ZOE} vous attend dans l'application iOS`, "Ouvrir dans l'application Jitsi",
		'Continuer dans ce navigateur']],
};

/* What an accessibility check asks of these pages: one h1, every field
 * labelled, every image with alt text, every link and button named, and
 * WCAG 2 AA contrast (4.5:1) for the text of links, buttons and paragraphs
 * against what is behind them, as the browser computed it. */
async function assertAccessible(page) {
	const problems = await page.evaluate(() => {
		const out = [];
		const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
		const lum = ([r, g, b]) => {
			const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
			return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
		};
		const ratio = (a, b) => {
			const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
			return (x + 0.05) / (y + 0.05);
		};
		const behind = (el) => {
			for (let e = el; e; e = e.parentElement) {
				const bg = getComputedStyle(e).backgroundColor;
				if (bg && !bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent')
					return rgb(bg);
			}
			return [255, 255, 255];
		};
		if (document.querySelectorAll('h1').length !== 1)
			out.push('not exactly one h1');
		for (const i of document.querySelectorAll('input:not([type=hidden])'))
			if (!i.id || !document.querySelector(`label[for="${i.id}"]`))
				out.push(`input ${i.name} has no label`);
		for (const i of document.querySelectorAll('img'))
			if (!i.hasAttribute('alt'))
				out.push('img without alt');
		for (const a of document.querySelectorAll('a, button'))
			if (!a.innerText.trim())
				out.push(`${a.tagName} without text`);
		for (const e of document.querySelectorAll('p, a, button, label, h1')) {
			if (!e.innerText.trim())
				continue;
			const r = ratio(rgb(getComputedStyle(e).color), behind(e));
			if (r < 4.5)
				out.push(`${e.tagName} "${e.innerText.slice(0, 30)}": contrast ${r.toFixed(2)}:1`);
		}
		return out;
	});
	assert.deepEqual(problems, []);
}

/* Serves dir as the bridge would: each page with the CSP render_pages
 * wrote beside it, the logo and style sheet below /auth/static/. */
function serve(root) {
	const server = http.createServer((req, res) => {
		const url = new URL(req.url, 'http://x.invalid');
		const file = path.join(root, path.normalize(url.pathname));
		const headers = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
		/* Chromium asks the origin for /favicon.ico by itself; on a real
		 * host Jitsi's nginx answers it, not the bridge. */
		if (url.pathname === '/favicon.ico') {
			res.writeHead(204);
			res.end();
			return;
		}
		let type = null;
		if (url.pathname === '/auth/static/logo')
			type = 'image/png';
		else if (url.pathname === '/auth/static/custom.css')
			type = 'text/css; charset=utf-8';
		else if (url.pathname.endsWith('.html'))
			type = 'text/html; charset=utf-8';
		if (type === null || !file.startsWith(root) || !fs.existsSync(file)) {
			res.writeHead(404, { 'Content-Type': 'text/plain' });
			res.end('not found\n');
			return;
		}
		headers['Content-Type'] = type;
		if (type.startsWith('text/html'))
			headers['Content-Security-Policy'] =
				fs.readFileSync(file.replace(/\.html$/, '.csp'), 'utf8');
		res.writeHead(200, headers);
		res.end(fs.readFileSync(file));
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

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

		const server = await serve(path.resolve(dir));
		const origin = `http://127.0.0.1:${server.address().port}`;
		/* Every request a page makes, to check none leaves the server. */
		const requests = [];
		const served = await lib.newPage(browser);
		served.page.on('request', (r) => requests.push(r.url()));
		for (const [set, table] of [['de', DE], ['branded', FR]]) {
			for (const [name, [heading, text]] of Object.entries(table)) {
				t.test(`${set}/${name}: language, text, no outside request, fits 375 px`,
					async () => {
						served.reset();
						requests.length = 0;
						const { page } = served;
						const url = `${origin}/${set}/${name}.html`;
						const resp = await page.goto(url);
						assert.equal(resp.status(), 200);
						await page.waitForLoadState('load');
						const title = set === 'branded' ? `${heading} · ${ORG}` : heading;
						assert.equal(await page.title(), title);
						assert.equal(await page.textContent('h1'), heading);
						await lib.assertTextIncludes(page, text);
						const info = await page.evaluate(() => ({
							lang: document.documentElement.lang,
							scripts: document.querySelectorAll('script').length,
							img: (() => {
								const i = document.querySelector('img.logo');
								return i ? { alt: i.alt, w: i.naturalWidth,
									done: i.complete } : null;
							})(),
						}));
						assert.equal(info.lang, set === 'branded' ? 'fr' : 'de');
						await assertAccessible(page);
						assert.equal(info.scripts, 0);
						if (set === 'branded') {
							/* the logo loaded under img-src 'self', with
							 * the organisation as its text */
							assert.deepEqual(info.img, { alt: ORG, w: 180, done: true });
							const look = await page.evaluate(() => {
								const main = getComputedStyle(document.querySelector('main'));
								const b = document.querySelector('.button');
								return {
									border: main.borderTopWidth,
									button: b ? getComputedStyle(b).backgroundColor : null,
									support: document.querySelector('.support')?.innerText,
								};
							});
							assert.equal(look.border, '6px', 'custom.css not applied');
							if (look.button !== null)
								assert.equal(look.button, 'rgb(11, 110, 79)');
							assert.equal(look.support, SUPPORT);
						} else {
							assert.equal(info.img, null);
						}
						for (const r of requests)
							assert.ok(r.startsWith(`${origin}/`), `request outside: ${r}`);
						assert.ok(requests.length >= 1);
						if (set === 'branded')
							assert.ok(requests.includes(`${origin}/auth/static/logo`) &&
								requests.includes(`${origin}/auth/static/custom.css`),
								`logo or css not requested: ${requests}`);
						else
							assert.equal(requests.length, 1, `extra requests: ${requests}`);
						await lib.assertNoHorizontalScroll(page);
						await lib.screenshot(page, `pages-${set}-${name}`);
						await page.waitForTimeout(100);
						assert.deepEqual(served.dialogs, []);
						/* a CSP violation is a console error */
						assert.deepEqual(served.errors, []);
					});
			}
		}

		t.test('branded landing and denied in dark mode on a desktop screen', async () => {
			const rec = await lib.newPage(browser, {
				viewport: { width: 1280, height: 800 }, colorScheme: 'dark',
			});
			try {
				const { page } = rec;
				for (const name of ['landing', 'denied']) {
					await page.goto(`${origin}/branded/${name}.html`);
					await page.waitForLoadState('load');
					/* the accent is for the light scheme only */
					await assertAccessible(page);
					const bg = await page.$eval('.button', (b) => getComputedStyle(b).backgroundColor);
					assert.equal(bg, 'rgb(47, 111, 223)');
					await lib.assertNoHorizontalScroll(page);
					await lib.screenshot(page, `pages-branded-${name}-desktop-dark`);
				}
				assert.deepEqual(rec.dialogs, []);
				assert.deepEqual(rec.errors, []);
			} finally {
				await rec.context.close();
			}
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

		try {
			return await t.run();
		} finally {
			server.close();
		}
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
