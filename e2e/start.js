'use strict';
/**
 * `npm start`: try the node in a real n8n on this machine, in one command.
 *
 * Builds and packs the package, installs it as a community package into a local n8n home
 * (.cache/n8n-home), starts a sandbox (the fake Brevo server on 127.0.0.1) unless BREVO_API_KEY is
 * set and a fake OpenAI-compatible model (test/fake-openai) unless OPENAI_API_KEY is set, imports
 * ready-made credentials pointing at them plus the example workflows (each once, so your edits
 * survive), then runs `n8n start` on http://127.0.0.1:5678. Ctrl-C stops everything
 * it started. The first run installs n8n (≈ 5–8 min, see e2e/runtime.js); later runs take seconds.
 *
 * Environment:
 *   BREVO_API_KEY    use the real Brevo API with this key instead of the sandbox
 *   BREVO_BASE_URL   with BREVO_API_KEY: another API address (default https://api.brevo.com/v3)
 *   OPENAI_API_KEY   the AI agent example's model: OpenAI with this key instead of the fake model
 *   OPENAI_BASE_URL  with OPENAI_API_KEY: another OpenAI-compatible API (default https://api.openai.com/v1)
 *   N8N_PORT         n8n's port (default 5678)
 *   E2E_RUNTIME      n8n version to run: 2.41.1 (default), 2.40.7, 2.8.4 or 1.123.0
 *   START_HOME       another n8n home instead of .cache/n8n-home (the e2e test of this script uses one)
 *
 * The trigger examples are published when first imported (n8n 2.x; n8n 1.x's CLI cannot activate
 * an imported workflow), and the ready banner prints, for each, how to play a chat visitor:
 * `npm run chat -- <example> "text"` (e2e/chat.js: a new message each time) and the curl command that
 * posts the example's sample event from examples/events/ as is (once: again, it is a duplicate).
 * The sandbox posts every message sent through it back to the trigger examples' URLs, as Brevo's
 * webhooks do, so the bots' replies, a handover and the pause after it play out as with Brevo.
 */
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { ensureRuntime, ROOT } = require('./runtime');
const { exec, freePort, installPackage, n8nEnv, packPackage, runN8nOk } = require('./n8n');
const { HOME, PORT, WEBHOOK_TOKEN_FILE, EXAMPLES, triggerExamples, webhookUrl } = require('./sandboxExamples');

const CREDENTIAL_ID = 'brevoStartCred01'; // the examples name this credential
const WEBHOOK_CREDENTIAL_ID = 'brevoWebhookCred01'; // and this one for their triggers
const VISITOR_SECRET_FILE = path.join(HOME, 'visitor-id-secret'); // the order examples' Crypto credential (Hmac Secret)
const VISITOR_SECRET_CREDENTIAL_ID = 'visitorIdSecret1'; // the order examples name this one
const OPENAI_CREDENTIAL_ID = 'openAiStartCred01'; // the AI agent example's model names this one
const IMPORTED_LIST = path.join(HOME, '.examples-imported');
// What a home set up before the list was kept held (its marker was a date): those stay as you left them.
const IMPORTED_BEFORE_THE_LIST = ['keep-agent-online.json', 'message-round-trip.json', 'order-status-automated-message.json', 'visitor-reply.json'];
// A local-only login (n8n listens on 127.0.0.1), so the owner setup screen is skipped.
const OWNER = {
	email: 'dev@example.com',
	password: 'Sandbox-n8n-1',
	hash: '$2a$10$frWikMj7RVx36fo75cX7w.dDD4DP4Owx.d.enpASTLovP.B4dFsMO',
};

const say = (message) => process.stdout.write(`[start] ${message}\n`);
const children = [];
let stopping = false;

function stopAll(code) {
	if (stopping) return;
	stopping = true;
	say('stopping…');
	const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
	for (const child of alive) child.kill('SIGINT'); // what Ctrl-C sends; n8n shuts down cleanly on it
	const force = setTimeout(() => {
		for (const child of alive) if (child.exitCode === null) child.kill('SIGKILL');
	}, 15000);
	Promise.all(alive.map((c) => new Promise((resolve) => c.once('exit', resolve)))).then(() => {
		clearTimeout(force);
		process.exit(code);
	});
	if (alive.length === 0) process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

/** Starts a fake server (test/<fake>/cli.js) and resolves the base URL it prints first. */
function startSandbox(apiKey, fake = 'fake-brevo', { args = [], env = {} } = {}) {
	const cli = path.join(ROOT, 'test', fake, 'cli.js');
	const child = spawn(process.execPath, [cli, '--port', '0', '--api-key', apiKey, ...args], {
		stdio: ['ignore', 'pipe', 'inherit'],
		env: { ...process.env, ...env },
	});
	children.push(child);
	return new Promise((resolve, reject) => {
		const lines = readline.createInterface({ input: child.stdout });
		let url;
		lines.on('line', (line) => {
			if (!url) {
				url = line.trim();
				resolve(url);
			} else say(`${fake}: ${line}`);
		});
		child.once('exit', (code) => {
			if (!url) reject(new Error(`${fake} exited (${code}) before printing its URL`));
			else if (!stopping) {
				say(`${fake} stopped (exit ${code})`);
				stopAll(1);
			}
		});
	});
}

async function waitForN8n(url, child) {
	const deadline = Date.now() + 3 * 60 * 1000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`n8n exited (${child.exitCode}) while starting`);
		try {
			const response = await fetch(`${url}/healthz`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n did not answer on ${url} within 3 minutes`);
}

/** Imports the examples this home has not imported yet (so your edits of the others survive). */
async function importNewExamples(runtime, env) {
	let done = [];
	if (fs.existsSync(IMPORTED_LIST)) {
		try {
			done = JSON.parse(fs.readFileSync(IMPORTED_LIST, 'utf8'));
		} catch {
			done = IMPORTED_BEFORE_THE_LIST;
		}
	}
	const fresh = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json') && !done.includes(f));
	if (fresh.length === 0) return [];
	const dir = fs.mkdtempSync(path.join(HOME, 'examples-'));
	try {
		for (const file of fresh) fs.copyFileSync(path.join(EXAMPLES, file), path.join(dir, file));
		await runN8nOk(runtime, env, ['import:workflow', '--separate', `--input=${dir}`]);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	fs.writeFileSync(IMPORTED_LIST, JSON.stringify([...done, ...fresh]) + '\n');
	say(`example workflows imported from examples/: ${fresh.join(', ')}`);
	return fresh;
}

/**
 * Publishes (activates) the trigger examples just imported, so their production URL answers at once:
 * the sandbox is local, nothing outside this machine can call it. n8n 1.x's CLI cannot activate an
 * imported workflow (no workflow_history row), so there the banner points at the test URL instead.
 */
async function publishTriggerExamples(runtime, env, imported) {
	if (/^1\./.test(runtime.version)) return [];
	const published = triggerExamples().filter((e) => imported.includes(e.file));
	for (const example of published) {
		await runN8nOk(runtime, env, ['publish:workflow', `--id=${example.id}`]);
		say(`published "${example.name}"`);
	}
	return published;
}

/**
 * n8n answers /healthz before it has registered the published workflows' webhooks: until then a POST
 * answers 404 and n8n logs "Received request for unknown webhook" for it. A CORS preflight (OPTIONS
 * with an Origin) is answered 204 without a log line, with the webhook's registered methods in
 * Access-Control-Allow-Methods (n8n's webhook-request-handler setupCorsHeaders): POST is among them
 * once the trigger's webhook is registered.
 */
async function waitForWebhooks(url, examples) {
	const deadline = Date.now() + 60 * 1000;
	for (const example of examples) {
		for (;;) {
			const response = await fetch(webhookUrl(url, example), { method: 'OPTIONS', headers: { origin: url } }).catch(() => undefined);
			if (response && /\bPOST\b/.test(response.headers.get('access-control-allow-methods') ?? '')) break;
			if (Date.now() > deadline) throw new Error(`the webhook of "${example.name}" was not registered within 60 s`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}
}

/** The text of the sample event's last visitor message: what the banner's chat command says. */
function sampleText(event) {
	const messages = [event.message, ...(event.messages ?? [])].filter((m) => m && m.type === 'visitor');
	return messages[messages.length - 1].text;
}

/** The banner lines that tell how to play a chat visitor against each trigger example. */
function webhookLines(runtime, url) {
	const token = `$(cat ${path.relative(ROOT, WEBHOOK_TOKEN_FILE)})`;
	const production = !/^1\./.test(runtime.version);
	const lines = [
		production
			? '  webhooks  play a chat visitor from this folder (trigger examples are published when first imported; one that is not answers 404).'
			: `  webhooks  n8n ${runtime.version} cannot publish from its CLI: open the example, select Execute workflow, then from this folder:`,
		'            npm run chat posts a new message each time; curl posts the sample event as is: once (again, it is a duplicate and starts nothing).',
	];
	// npm run chat finds n8n and the token as npm start did: the same N8N_PORT and START_HOME, if set.
	const chatEnv = ['N8N_PORT', 'START_HOME'].filter((name) => process.env[name]).map((name) => `${name}=${process.env[name]} `).join('');
	for (const example of triggerExamples()) {
		if (!fs.existsSync(example.event)) continue;
		const text = sampleText(JSON.parse(fs.readFileSync(example.event, 'utf8')));
		lines.push(`    ${example.name}:`);
		lines.push(`      ${chatEnv}npm run chat -- ${path.basename(example.file, '.json')} ${JSON.stringify(text)}${production ? '' : ' --test-url'}`);
		lines.push(`      curl -X POST -H 'content-type: application/json' -d @${path.relative(ROOT, example.event)} "${webhookUrl(url, example, { test: !production, token })}"`);
	}
	return lines;
}

/**
 * The sandbox's settings for Brevo's webhooks: the sample events' visitors and conversations, and the
 * trigger examples' production URLs with the token, where it posts every message sent through it (as
 * Brevo does for each webhook of an account). Through the environment, so the token stays out of the
 * process list. n8n 1.x has no production URL here (its CLI cannot publish): no echo there.
 */
function sandboxWebhooks(runtime, token) {
	const examples = triggerExamples().filter((e) => fs.existsSync(e.event));
	const urls = /^1\./.test(runtime.version) ? [] : examples.map((e) => webhookUrl(`http://127.0.0.1:${PORT}`, e, { token }));
	return { args: examples.flatMap((e) => ['--seed-event', e.event]), env: { BREVO_SANDBOX_WEBHOOK_URLS: urls.join(' ') } };
}

async function main() {
	if (!fs.existsSync(path.join(ROOT, 'node_modules', 'typescript'))) {
		say('installing the build tools first (npm ci)…');
		await exec('npm', ['ci', '--no-audit', '--no-fund'], { timeoutMs: 15 * 60 * 1000 });
	}
	const runtime = await ensureRuntime();
	const tgz = await packPackage();
	await installPackage(runtime, HOME, tgz);
	fs.rmSync(path.dirname(tgz), { recursive: true, force: true });

	// The triggers' token: made once, kept in a file only you can read (never printed), so the URL
	// you gave Brevo or your curl commands keep working across restarts.
	fs.mkdirSync(HOME, { recursive: true });
	if (!fs.existsSync(WEBHOOK_TOKEN_FILE)) fs.writeFileSync(WEBHOOK_TOKEN_FILE, randomBytes(16).toString('hex') + '\n', { mode: 0o600 });
	const webhook = { token: fs.readFileSync(WEBHOOK_TOKEN_FILE, 'utf8').trim() };

	const real = Boolean(process.env.BREVO_API_KEY);
	const sandboxKey = 'sandbox-api-key';
	const credential = real
		? { apiKey: process.env.BREVO_API_KEY, partnerKey: '', baseUrl: process.env.BREVO_BASE_URL || 'https://api.brevo.com/v3' }
		: { apiKey: sandboxKey, partnerKey: '', baseUrl: await startSandbox(sandboxKey, 'fake-brevo', sandboxWebhooks(runtime, webhook.token)) };
	if (!real) say(`sandbox (fake Brevo) on ${credential.baseUrl}, API key "${sandboxKey}"`);
	const realModel = Boolean(process.env.OPENAI_API_KEY);
	const modelKey = 'sandbox-openai-key';
	const model = realModel
		? { apiKey: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1' }
		: { apiKey: modelKey, url: await startSandbox(modelKey, 'fake-openai') };
	if (!realModel) say(`fake OpenAI model on ${model.url}: a scripted shop assistant (test/fake-openai/shopAssistant.js)`);

	const env = n8nEnv(runtime, HOME, {
		N8N_PORT: String(PORT),
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${PORT}`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		// The fakes listen on 127.0.0.1, which n8n's SSRF protection would refuse.
		...(real && realModel ? {} : { N8N_SSRF_PROTECTION_ENABLED: 'false' }),
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: OWNER.hash,
		N8N_INSTANCE_OWNER_FIRST_NAME: 'Local',
		N8N_INSTANCE_OWNER_LAST_NAME: 'Developer',
	});

	// Re-imported on every start: it follows the sandbox's new port, or your BREVO_API_KEY.
	const credentialsFile = path.join(HOME, 'credentials.json');
	const name = real ? 'Brevo Conversations account' : 'Brevo sandbox (fake, local)';
	const modelName = realModel ? 'OpenAI account' : 'OpenAI sandbox (fake model, local)';
	// Likewise the secret the order examples derive chat visitor IDs with (README "Reach a customer from an order").
	if (!fs.existsSync(VISITOR_SECRET_FILE)) fs.writeFileSync(VISITOR_SECRET_FILE, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
	const visitorSecret = { hmacSecret: fs.readFileSync(VISITOR_SECRET_FILE, 'utf8').trim() };
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify([
			{ id: CREDENTIAL_ID, name, type: 'brevoConversationsApi', data: credential },
			{ id: WEBHOOK_CREDENTIAL_ID, name: 'Brevo Conversations webhook', type: 'brevoConversationsWebhookApi', data: webhook },
			{ id: OPENAI_CREDENTIAL_ID, name: modelName, type: 'openAiApi', data: model },
			{ id: VISITOR_SECRET_CREDENTIAL_ID, name: 'Chat visitor ID secret', type: 'crypto', data: visitorSecret },
		]),
		{ mode: 0o600 },
	);
	try {
		await runN8nOk(runtime, env, ['import:credentials', `--input=${credentialsFile}`]);
	} finally {
		fs.rmSync(credentialsFile, { force: true });
	}
	say(`credentials "${name}", "Brevo Conversations webhook" and "${modelName}" imported`);
	const imported = await importNewExamples(runtime, env);
	const published = await publishTriggerExamples(runtime, env, imported);

	say(`starting n8n ${runtime.version} (logs below)…`);
	const n8n = spawn(runtime.nodeBin, [runtime.n8nBin, 'start'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
	children.push(n8n);
	n8n.once('exit', (code) => {
		if (!stopping) {
			say(`n8n stopped (exit ${code})`);
			stopAll(code ?? 1);
		}
	});
	const url = `http://127.0.0.1:${PORT}`;
	await waitForN8n(url, n8n);
	await waitForWebhooks(url, published);
	await new Promise((resolve) => setTimeout(resolve, 2000)); // let n8n's start-up lines pass first
	const examples = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).length;
	const lines = [
		'',
		`n8n ${runtime.version} with n8n-nodes-brevo-conversations is running:`,
		`  open      ${url}`,
		`  log in    ${OWNER.email} / ${OWNER.password}   (local only)`,
		`  workflows ${examples} examples ("Brevo Conversations: …"), credential "${name}"`,
		real ? '  Brevo     the real API, with your BREVO_API_KEY' : `  sandbox   ${credential.baseUrl} (fake Brevo; its requests are logged here)`,
		realModel ? '  model     OpenAI (or OPENAI_BASE_URL), with your OPENAI_API_KEY' : `  model     ${model.url} (fake OpenAI; set OPENAI_API_KEY for a real model)`,
		...webhookLines(runtime, url),
		'Ctrl-C stops n8n and the fakes.',
		'',
	];
	process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error) => {
	console.error(`[start] ${error.message}`);
	stopAll(1);
});
