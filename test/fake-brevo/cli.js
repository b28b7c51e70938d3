#!/usr/bin/env node
'use strict';
/**
 * Runs the fake Brevo server (server.js) on its own, as a local sandbox:
 *
 *   node test/fake-brevo/cli.js [--port 5690] [--api-key sandbox-api-key] [--quiet]
 *
 * Prints the base URL as its first stdout line (`http://127.0.0.1:<port>/v3`; give it to a
 * "Brevo Conversations API" credential together with the API key), then one line per request it
 * answers, unless --quiet. Listens on 127.0.0.1 only; stops on Ctrl-C / SIGTERM. Messages live in
 * memory and are gone when it stops.
 */
const { FakeBrevo } = require('./server');

function option(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : process.argv[i + 1];
}

async function main() {
	const port = Number(option('port', process.env.BREVO_SANDBOX_PORT ?? 0));
	const apiKey = option('api-key', process.env.BREVO_SANDBOX_API_KEY ?? 'sandbox-api-key');
	const quiet = process.argv.includes('--quiet');
	const fake = new FakeBrevo({ apiKey, record: false });
	if (!quiet) {
		fake.server.on('request', (req, res) => {
			res.on('finish', () => console.log(`${new Date().toISOString()} ${req.method} ${req.url} → ${res.statusCode}`));
		});
	}
	const url = await fake.start(port);
	console.log(url);
	const stop = () => fake.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(`fake Brevo: ${error.message}`);
	process.exit(1);
});
