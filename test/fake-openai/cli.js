#!/usr/bin/env node
'use strict';
/**
 * Runs the fake OpenAI-compatible model (server.js) on its own, as the `npm start` sandbox for
 * examples/ai-agent-reply.json when no OPENAI_API_KEY is given:
 *
 *   node test/fake-openai/cli.js [--port 0] [--api-key sandbox-openai-key] [--quiet]
 *
 * Prints its Base URL as the first stdout line (`http://127.0.0.1:<port>/v1`; give it to an
 * "OpenAI" credential with the API key), then one line per request unless --quiet. It answers every
 * visitor with a fixed text through the agent's one tool, whose $fromAI key must be `text`.
 * Listens on 127.0.0.1 only; stops on Ctrl-C / SIGTERM.
 */
const { FakeOpenAi } = require('./server');

function option(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : process.argv[i + 1];
}

async function main() {
	const fake = new FakeOpenAi({
		apiKey: option('api-key', 'sandbox-openai-key'),
		toolArguments: { text: 'Thanks for your message! (This answer comes from the local fake model of npm start, not from OpenAI.)' },
		finalAnswer: 'I replied to the visitor (fake model).',
	});
	if (!process.argv.includes('--quiet')) {
		fake.server.on('request', (req, res) => {
			res.on('finish', () => console.log(`${new Date().toISOString()} ${req.method} ${req.url} → ${res.statusCode}`));
		});
	}
	console.log(await fake.start(Number(option('port', 0))));
	const stop = () => fake.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(`fake OpenAI: ${error.message}`);
	process.exit(1);
});
