'use strict';
/**
 * `npm run chat -- <example> ["text"]`: play a chat visitor against the sandbox of `npm start`.
 *
 * Posts the example's sample event (examples/events/<example>.json) to the example's production URL
 * with the token, as Brevo would, but as a **new** message each time: fresh message IDs and the current
 * time, and the text given (else the sample's). The trigger starts a workflow once per visitor message
 * ID, so the sample event posted as is (the curl command of the start banner) works once, and a second
 * time is a duplicate that starts nothing, as a re-delivery from Brevo would be.
 * The visitor and conversation stay the sample's, so successive messages make one conversation (the
 * AI example's memory, its handover and the pause after it).
 *
 * Prints n8n's answer: `Workflow was started`, or why nothing started (e.g. `Paused: a human agent is
 * answering this conversation`). The workflow's reply shows in npm start's terminal, where the sandbox
 * logs it. Environment as for npm start: N8N_PORT, START_HOME; `--test-url` posts to the test URL
 * (the workflow open in the editor, Execute workflow selected).
 */
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { PORT, WEBHOOK_TOKEN_FILE, triggerExamples, webhookUrl } = require('./sandboxExamples');

const ID_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newMessageId = () => [...randomBytes(17)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');

/** The sample event as a new visitor message: fresh IDs and times, and the text given. */
function freshEvent(sample, text) {
	const now = Date.now();
	const renew = (message, i) => {
		const fresh = { ...message, id: newMessageId(), createdAt: now + i };
		return text === undefined ? fresh : { ...fresh, text, html: text };
	};
	const event = structuredClone(sample);
	if (event.message) event.message = renew(event.message, 0);
	if (Array.isArray(event.messages)) {
		const visitor = event.messages.filter((m) => m.type === 'visitor');
		// One message with the text given; without one, every visitor message of the sample anew.
		event.messages = (text === undefined ? visitor : visitor.slice(0, 1)).map(renew);
	}
	return event;
}

async function main() {
	const [name, text, ...rest] = process.argv.slice(2).filter((a) => a !== '--test-url');
	const examples = triggerExamples();
	const example = examples.find((e) => e.file === name || e.file === `${name}.json`);
	if (!example || rest.length > 0) {
		const names = examples.map((e) => e.file.replace(/\.json$/, '')).join(', ');
		throw new Error(`usage: npm run chat -- <example> ["text"]   (example: ${names})`);
	}
	if (!fs.existsSync(WEBHOOK_TOKEN_FILE)) throw new Error(`no ${WEBHOOK_TOKEN_FILE}: run npm start first`);
	const token = fs.readFileSync(WEBHOOK_TOKEN_FILE, 'utf8').trim();
	const event = freshEvent(JSON.parse(fs.readFileSync(example.event, 'utf8')), text);
	const url = webhookUrl(`http://127.0.0.1:${PORT}`, example, { test: process.argv.includes('--test-url') });
	const response = await fetch(`${url}?token=${encodeURIComponent(token)}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(event),
		signal: AbortSignal.timeout(60000),
	}).catch((error) => {
		throw new Error(`n8n does not answer on ${url} (${error.cause?.code ?? error.message}): is npm start running?`);
	});
	const answer = await response.text();
	process.stdout.write(`${path.basename(example.file, '.json')}: ${event.eventName} → ${response.status} ${answer}\n`);
	if (!response.ok) process.exitCode = 1;
}

main().catch((error) => {
	console.error(`[chat] ${error.message}`);
	process.exitCode = 1;
});
