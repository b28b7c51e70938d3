#!/usr/bin/env node
'use strict';
/**
 * Runs the fake Brevo server (server.js) on its own, as a local sandbox:
 *
 *   node test/fake-brevo/cli.js [--port 5690] [--api-key sandbox-api-key] [--quiet]
 *                               [--webhook-url URL]… [--seed-event event.json]…
 *
 * Prints the base URL as its first stdout line (`http://127.0.0.1:<port>/v3`; give it to a
 * "Brevo Conversations API" credential together with the API key), then one line per request it
 * answers, unless --quiet. Listens on 127.0.0.1 only; stops on Ctrl-C / SIGTERM. Messages live in
 * memory and are gone when it stops.
 *
 * --webhook-url (or BREVO_SANDBOX_WEBHOOK_URLS, separated by spaces: keeps a token in the URL out of
 * the process list) makes it post every message sent through it back to that URL, as Brevo's webhooks
 * do; each such echo is logged with n8n's answer, the URL without its query. --seed-event makes the
 * visitor of a Brevo event file known, with its conversation ID, so that echoes join that conversation.
 */
const fs = require('node:fs');
const { FakeBrevo } = require('./server');
const { runSandbox } = require('../localServer');

/** Every value given to a repeatable option: --name a --name b → [a, b] */
const all = (name) => process.argv.flatMap((arg, i) => (arg === `--${name}` && i + 1 < process.argv.length ? [process.argv[i + 1]] : []));

const webhookUrl = [...all('webhook-url'), ...(process.env.BREVO_SANDBOX_WEBHOOK_URLS ?? '').split(/\s+/).filter(Boolean)];
const logEcho = ({ url, messageId, status, answer }) =>
	console.log(`${new Date().toISOString()} echo of message ${messageId} → POST ${url.split('?')[0]} → ${status || 'no answer'} ${answer.slice(0, 200)}`);

runSandbox(
	'fake Brevo',
	(apiKey) => {
		const fake = new FakeBrevo({ apiKey, record: false, webhookUrl, onEcho: process.argv.includes('--quiet') ? undefined : logEcho });
		for (const file of all('seed-event')) fake.seedEvent(JSON.parse(fs.readFileSync(file, 'utf8')));
		return fake;
	},
	{
		apiKey: process.env.BREVO_SANDBOX_API_KEY ?? 'sandbox-api-key',
		port: process.env.BREVO_SANDBOX_PORT,
	},
);
