'use strict';
/**
 * Editor check in a real browser (`npm run test:ui`, run by CI): the packed package installed as a
 * community package of a real n8n (e2e/runtime.js: $E2E_RUNTIME, default the newest pinned runtime),
 * its editor driven by Debian's headless Chromium through playwright-core. For the light and the
 * dark theme:
 * - the action node: searched for "Brevo" in the node creator, every action listed, added, then each
 *   resource/operation picked, checking that the node's icon and the operation's fields render; its
 *   credential dialog with its fields;
 * - the trigger: searched for in a new workflow's trigger list, each event's trigger listed, added,
 *   its fields (for its default version) and credential selector render, its credential dialog too.
 * Everything expected (actions, fields, credentials) is read from the built node descriptions, so a
 * field, an icon or a node that fails to render fails the test. Screenshots go to
 * .cache/ui-screenshots/ (git-ignored).
 *
 * Chromium comes from Debian (apt-get, installed here when missing); no browser is downloaded.
 * Everything listens on 127.0.0.1 only.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureRuntime, ROOT, CACHE } = require('../runtime');
const { installPackage, n8nEnv, freePort, exec } = require('../n8n');

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(CACHE, 'ui-screenshots');
const OWNER = { email: 'owner@example.com', firstName: 'Ui', lastName: 'Check', password: 'Ui-check-Passw0rd' };
const NODE_NAME = 'Brevo Conversations';
// The node creator shows the trigger inside its app, under the app's name (the node's minus " Trigger").
const TRIGGER_APP_NAME = 'Brevo Conversations';
const THEMES = ['light', 'dark'];

const log = (message) => process.stderr.write(`[ui] ${message}\n`);

/** Debian's chromium, installed with apt-get when missing (the CI machine starts without it). */
function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const sudo = isRoot ? [] : ['sudo', '-n'];
	log('installing Debian chromium (apt-get)…');
	for (const args of [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', 'chromium']]) {
		const command = [...sudo, ...args];
		const run = spawnSync(command[0], command.slice(1), {
			stdio: ['ignore', 'ignore', 'inherit'],
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
		if (run.status !== 0) throw new Error(`${command.join(' ')} failed (exit ${run.status}); install chromium by hand`);
	}
	if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is missing`);
}

async function waitFor(url, timeoutMs, child) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n exited (${child.exitCode}) before ${url} answered`);
		try {
			const response = await fetch(url);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** The descriptions from the build that was just packed: what the editor must show. */
function loadDescriptions() {
	const dist = path.join(ROOT, 'dist');
	const { BrevoConversations } = require(path.join(dist, 'nodes', 'BrevoConversations', 'BrevoConversations.node.js'));
	const { BrevoConversationsTrigger } = require(path.join(dist, 'nodes', 'BrevoConversationsTrigger', 'BrevoConversationsTrigger.node.js'));
	const credentials = {};
	for (const file of fs.readdirSync(path.join(dist, 'credentials')).filter((f) => f.endsWith('.credentials.js'))) {
		for (const CredentialType of Object.values(require(path.join(dist, 'credentials', file)))) {
			if (typeof CredentialType !== 'function' || !CredentialType.prototype) continue;
			const credential = new CredentialType();
			if (typeof credential.name === 'string' && Array.isArray(credential.properties)) credentials[credential.name] = credential;
		}
	}
	return { node: new BrevoConversations().description, trigger: new BrevoConversationsTrigger().description, credentials };
}

/** The version n8n adds from the node creator, and the credentials that version shows. */
function defaultVersionOf(description) {
	const versions = [description.version].flat();
	return description.defaultVersion ?? Math.max(...versions);
}
function credentialsOf(description, version) {
	return (description.credentials ?? []).filter((c) => {
		const shown = c.displayOptions?.show?.['@version'];
		const hidden = c.displayOptions?.hide?.['@version'];
		return (!shown || shown.includes(version)) && !(hidden && hidden.includes(version));
	});
}

/** n8n's displayOptions rule for top-level fields, with every other parameter at its default. */
function visibleFieldLabels(properties, values) {
	const valueOf = (name) => (name in values ? values[name] : properties.find((p) => p.name === name)?.default);
	const matches = (conditions = {}) =>
		Object.entries(conditions).map(([name, allowed]) => allowed.includes(valueOf(name)));
	return properties
		.filter((p) => p.name !== 'resource' && p.name !== 'operation' && p.type !== 'notice')
		.filter((p) => matches(p.displayOptions?.show).every(Boolean))
		.filter((p) => !matches(p.displayOptions?.hide).some(Boolean))
		.map((p) => p.displayName);
}

function operationsOf(description, resource) {
	const selector = description.properties.find(
		(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
	);
	return selector.options;
}

let n8n;
let chromium;
const contexts = [];
let baseUrl;
let ownerCookie;
let built;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-conv-ui-'));

before(async () => {
	ensureChromium();
	const playwright = require('playwright-core');
	playwright.selectors.setTestIdAttribute('data-test-id');

	const runtime = await ensureRuntime(); // $E2E_RUNTIME, else the newest pinned n8n

	log('building and packing the package…');
	await exec('npm', ['run', 'build', '--silent']);
	const packDir = path.join(workDir, 'pack');
	fs.mkdirSync(packDir);
	const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', packDir]);
	const tgz = path.join(packDir, JSON.parse(stdout)[0].filename);
	const home = path.join(workDir, 'home');
	await installPackage(runtime, home, tgz);
	built = loadDescriptions();

	const port = await freePort();
	baseUrl = `http://127.0.0.1:${port}`;
	const env = n8nEnv(runtime, home, {
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_ENCRYPTION_KEY: 'ui-check-encryption-key-0123456789',
		// Plain http on 127.0.0.1: a Secure cookie would never come back.
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'warn',
	});
	const logFile = path.join(workDir, 'n8n.log');
	const out = fs.openSync(logFile, 'w');
	log(`starting n8n ${runtime.version} on ${baseUrl} (log: ${logFile})…`);
	n8n = spawn(runtime.nodeBin, [runtime.n8nBin, 'start'], { env, stdio: ['ignore', out, out] });
	// Never leave this n8n behind, even when the test process is interrupted.
	process.once('exit', () => n8n.exitCode === null && n8n.kill('SIGKILL'));
	for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
	await waitFor(`${baseUrl}/healthz/readiness`, 180_000, n8n);

	fs.rmSync(SHOTS, { recursive: true, force: true });
	fs.mkdirSync(SHOTS, { recursive: true });
	chromium = playwright.chromium;

	// The owner account, through n8n's REST API.
	const setup = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	assert.equal(setup.status, 200, `owner setup answered ${setup.status}`);
	ownerCookie = setup.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}, { timeout: 25 * 60 * 1000 }); // a cold machine installs Chromium and n8n (~4 min) first

const MANUAL_TRIGGER = { id: 'trigger', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

/** A new workflow holding `nodes`, by default a manual trigger to add the node to (the editor autosaves, so one per test). */
async function createWorkflow(name, nodes = [MANUAL_TRIGGER]) {
	const created = await fetch(`${baseUrl}/rest/workflows`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie: ownerCookie },
		body: JSON.stringify({
			name,
			nodes,
			connections: {},
			settings: {},
		}),
	});
	const body = await created.text();
	assert.equal(created.status, 200, `creating the workflow: ${body}`);
	return JSON.parse(body).data.id;
}

after(async () => {
	for (const context of contexts) await context.close().catch(() => undefined);
	if (n8n && n8n.exitCode === null) {
		n8n.kill('SIGTERM');
		await new Promise((resolve) => {
			const timer = setTimeout(() => {
				n8n.kill('SIGKILL');
				resolve();
			}, 15_000);
			n8n.once('exit', () => {
				clearTimeout(timer);
				resolve();
			});
		});
	}
	fs.rmSync(workDir, { recursive: true, force: true });
	log(`screenshots: ${path.relative(ROOT, SHOTS)}/`);
});

/** A fresh Chromium with a fresh profile (--user-data-dir), logged in as the owner. */
async function newPage(theme) {
	const profile = fs.mkdtempSync(path.join(workDir, `chromium-${theme}-`));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
		],
		viewport: { width: 1440, height: 900 },
		colorScheme: theme,
	});
	contexts.push(context);
	const login = await context.request.post(`${baseUrl}/rest/login`, {
		data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
	});
	assert.equal(login.status(), 200);
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(20_000);
	return page;
}

const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

/** The img icons inside `scope` load (an SVG that fails to load has naturalWidth 0). */
async function assertIconLoaded(scope, theme, what) {
	const icon = scope.locator('img[src*="brevoConversations"]').first();
	await icon.waitFor({ state: 'attached' });
	// Panels slide in (CI once measured an event's icon at x=1467, width 0, mid-animation in a
	// 1440-wide window): wait, bounded, until the icon has its size inside the window, as a user sees it.
	const viewport = icon.page().viewportSize();
	const shown = (b) => b && b.width >= 12 && b.x >= 0 && b.x + b.width <= viewport.width;
	const deadline = Date.now() + 10_000;
	let box = await icon.boundingBox();
	while (!shown(box) && Date.now() < deadline) {
		await icon.page().waitForTimeout(100);
		box = await icon.boundingBox();
	}
	assert.ok(shown(box), `${what}: icon is not displayed (${JSON.stringify(box)})`);
	const { src, width } = await icon.evaluate((img) => ({ src: img.getAttribute('src'), width: img.naturalWidth }));
	const file = theme === 'dark' ? 'brevoConversations.dark.svg' : 'brevoConversations.svg';
	assert.ok(src.endsWith(`/${file}`), `${what}: icon ${src} should be ${file}`);
	assert.ok(width > 0, `${what}: icon ${src} did not load`);
}

/** Picks an option of an options parameter, as a user does, and waits until it shows. */
async function choose(page, parameter, optionName) {
	const input = page.getByTestId(`parameter-input-${parameter}`).locator('input').first();
	if ((await input.inputValue()) === optionName) return;
	await input.click();
	// An option's accessible name also holds its description: match the name element itself.
	await page.getByRole('option').filter({ has: page.getByText(optionName, { exact: true }) }).first().click();
	const deadline = Date.now() + 10_000;
	while ((await input.inputValue()) !== optionName) {
		assert.ok(Date.now() < deadline, `${parameter} shows "${await input.inputValue()}", not "${optionName}"`);
		await page.waitForTimeout(100);
	}
}

/** The credential dialog opened from the open node's credential selector: its icon and every field. */
async function checkCredentialDialog(page, theme, credentialName, shotName) {
	const credential = built.credentials[credentialName];
	assert.ok(credential, `the build has no credential type ${credentialName}`);
	const slot = page.getByTestId('node-credentials-slot');
	await slot.waitFor();
	// Without a saved credential the selector is a "Connect to …" button; either way it names the type.
	await slot.getByText(/Brevo Conversations/).last().click();
	const dialog = page.getByTestId('credential-edit-dialog');
	await dialog.waitFor();
	const labels = credential.properties.filter((p) => p.type !== 'notice' && !p.displayOptions).map((p) => p.displayName);
	assert.ok(labels.length > 0, `${credentialName} has fields`);
	for (const label of labels) {
		await dialog.getByTestId('credential-connection-parameter').filter({ hasText: label }).first().waitFor();
	}
	await assertIconLoaded(page.getByTestId('editCredential-modal'), theme, `${credential.displayName} dialog header`);
	await shot(page, shotName);
}

/** Runs a check with a fresh page; on failure keeps a screenshot and the page's HTML. */
async function withPage(theme, name, check) {
	const page = await newPage(theme);
	try {
		await check(page, theme);
	} catch (error) {
		await shot(page, `${theme}-${name}-FAILED`).catch(() => undefined);
		fs.writeFileSync(path.join(SHOTS, `${theme}-${name}-FAILED.html`), await page.content().catch(() => ''));
		throw error;
	}
}

for (const theme of THEMES) {
	test(`${theme} theme: the node is found, listed with all actions, added, and each operation renders its fields`, () =>
		withPage(theme, 'node', checkEditor));
	test(`${theme} theme: the trigger is found with its events, added, and renders its fields and credential`, () =>
		withPage(theme, 'trigger', checkTrigger));
}

async function checkEditor(page, theme) {
	{
		const workflowId = await createWorkflow(`Brevo Conversations UI check (${theme})`);
		await page.goto(`${baseUrl}/workflow/${workflowId}?theme=${theme}`);
		await page.getByTestId('canvas-node').first().waitFor();
		assert.equal(await page.evaluate(() => globalThis.document.body.getAttribute('data-theme')), theme);

		// Node creator: search from the trigger's output.
		await page.getByTestId('canvas-handle-plus').first().click();
		await page.getByTestId('node-creator-search-bar').waitFor();
		await page.keyboard.type('Brevo');
		const item = page.locator('[data-test-id="item-iterator-item"][data-keyboard-nav-type="node"]').filter({ hasText: NODE_NAME });
		await item.first().waitFor();
		await assertIconLoaded(item.first(), theme, 'node creator');
		await shot(page, `${theme}-1-node-creator-search`);

		// The node's panel lists every operation's action, grouped by resource.
		await item.first().click();
		const actions = built.node.properties
			.find((p) => p.name === 'resource')
			.options.flatMap((resource) => operationsOf(built.node, resource.value).map((op) => op.action));
		assert.equal(actions.length, 9);
		const actionItem = (action) =>
			page
				.locator('[data-test-id="item-iterator-item"][data-keyboard-nav-type="action"]')
				.filter({ has: page.getByTestId('node-creator-item-name').getByText(action, { exact: true }) });
		for (const action of actions) {
			await actionItem(action).first().waitFor();
			await assertIconLoaded(actionItem(action).first(), theme, `action "${action}"`);
		}
		await shot(page, `${theme}-2-node-actions`);

		// Add it with its first action; the node details view opens.
		await actionItem(actions.find((a) => /^Send a message/.test(a))).first().click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		await assertIconLoaded(ndv, theme, 'node details view');
		await page.getByTestId('parameter-input-resource').waitFor();

		for (const resource of built.node.properties.find((p) => p.name === 'resource').options) {
			await choose(page, 'resource', resource.name);
			for (const operation of operationsOf(built.node, resource.value)) {
				await choose(page, 'operation', operation.name);
				const labels = visibleFieldLabels(built.node.properties, { resource: resource.value, operation: operation.value });
				assert.ok(labels.length > 0, `${resource.name} → ${operation.name} has fields`);
				const parameters = page.getByTestId('node-parameters');
				for (const label of labels) {
					await parameters.getByTestId('input-label').filter({ hasText: label }).first().waitFor();
				}
				await shot(page, `${theme}-3-ndv-${resource.value}-${operation.value}`);
			}
		}

		// Back on the canvas, the node shows its icon.
		await page.getByTestId('ndv-close-button').click();
		await page.getByTestId('ndv').waitFor({ state: 'hidden' });
		const canvasNode = page.getByTestId('canvas-node').filter({ has: page.locator('img[src*="brevoConversations"]') }).first();
		await canvasNode.waitFor();
		await assertIconLoaded(canvasNode, theme, 'canvas node');
		await shot(page, `${theme}-4-canvas`);

		// The credential dialog, with the credential's own icon and fields.
		await canvasNode.dblclick();
		await page.getByTestId('ndv').waitFor();
		const [credential] = credentialsOf(built.node, defaultVersionOf(built.node));
		await checkCredentialDialog(page, theme, credential.name, `${theme}-5-credential`);
	}
}

async function checkTrigger(page, theme) {
	const trigger = built.trigger;
	const version = defaultVersionOf(trigger);
	const workflowId = await createWorkflow(`Brevo Conversations Trigger UI check (${theme})`, []);
	await page.goto(`${baseUrl}/workflow/${workflowId}?theme=${theme}`);

	// An empty workflow's first step is a trigger: the creator opens on the trigger list.
	await page.getByTestId('canvas-add-button').click();
	await page.getByTestId('node-creator-search-bar').waitFor();
	await page.keyboard.type('Brevo');
	const app = page
		.locator('[data-test-id="item-iterator-item"]')
		.filter({ has: page.getByTestId('node-creator-item-name').getByText(TRIGGER_APP_NAME, { exact: true }) });
	await app.first().waitFor();
	await assertIconLoaded(app.first(), theme, 'trigger in the node creator');
	await shot(page, `${theme}-6-trigger-search`);

	// The app's panel lists one trigger per event ("On conversation started", …).
	await app.first().click();
	const events = trigger.properties.find((p) => p.name === 'events').options;
	const eventItem = (event) =>
		page
			.locator('[data-test-id="item-iterator-item"]')
			.filter({ has: page.getByTestId('node-creator-item-name').getByText(new RegExp(`^On ${event.name}$`, 'i')) });
	for (const event of events) {
		await eventItem(event).first().waitFor();
		await assertIconLoaded(eventItem(event).first(), theme, `trigger "On ${event.name}"`);
	}
	await shot(page, `${theme}-7-trigger-events`);

	// Added from its first event, the trigger's details view shows its fields and credential selector.
	await eventItem(events[0]).first().click();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor();
	await assertIconLoaded(ndv, theme, 'trigger details view');
	const labels = visibleFieldLabels(trigger.properties, { '@version': version });
	assert.ok(labels.includes('Events'), `trigger v${version} shows Events (${labels.join(', ')})`);
	const parameters = page.getByTestId('node-parameters');
	for (const label of labels) {
		await parameters.getByTestId('input-label').filter({ hasText: label }).first().waitFor();
	}
	const eventsInput = page.getByTestId('parameter-input-events');
	await eventsInput.getByText(events[0].name, { exact: true }).first().waitFor();
	await shot(page, `${theme}-8-trigger-ndv`);

	for (const credential of credentialsOf(trigger, version)) {
		await checkCredentialDialog(page, theme, credential.name, `${theme}-9-trigger-credential-${credential.name}`);
		await page.keyboard.press('Escape');
		await page.getByTestId('credential-edit-dialog').waitFor({ state: 'hidden' });
	}

	// On the canvas, the trigger shows its icon.
	if (await ndv.isVisible()) await page.getByTestId('ndv-close-button').click();
	await ndv.waitFor({ state: 'hidden' });
	const canvasNode = page.getByTestId('canvas-node').filter({ has: page.locator('img[src*="brevoConversations"]') }).first();
	await canvasNode.waitFor();
	await assertIconLoaded(canvasNode, theme, 'trigger on the canvas');
	await shot(page, `${theme}-10-trigger-canvas`);
}

