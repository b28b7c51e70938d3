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
const { runSandbox } = require('../localServer');

runSandbox('fake Brevo', (apiKey) => new FakeBrevo({ apiKey, record: false }), {
	apiKey: process.env.BREVO_SANDBOX_API_KEY ?? 'sandbox-api-key',
	port: process.env.BREVO_SANDBOX_PORT,
});
