'use strict';
/**
 * What the fake servers (fake-brevo, fake-openai) share: listening on 127.0.0.1 only, and running
 * on their own as an `npm start` sandbox (`node test/<fake>/cli.js [--port N] [--api-key K] [--quiet]`).
 */

/** Listens on 127.0.0.1 (an ephemeral port unless given); resolves the port. */
async function listenLocally(server, port = 0) {
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	server.keepAliveTimeout = 1000;
	return server.address().port;
}

/** Closes the server and the connections kept alive, so that the process can exit. */
async function closeServer(server) {
	server.closeAllConnections?.();
	await new Promise((resolve) => server.close(() => resolve()));
}

function option(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : process.argv[i + 1];
}

/**
 * Runs a fake as a sandbox process: `makeFake(apiKey)` builds it; prints its base URL as the first
 * stdout line, then one line per request unless --quiet; stops on Ctrl-C / SIGTERM.
 */
function runSandbox(what, makeFake, defaults = {}) {
	const main = async () => {
		const fake = makeFake(option('api-key', defaults.apiKey));
		if (!process.argv.includes('--quiet')) {
			fake.server.on('request', (req, res) => {
				res.on('finish', () => console.log(`${new Date().toISOString()} ${req.method} ${req.url} → ${res.statusCode}`));
			});
		}
		console.log(await fake.start(Number(option('port', defaults.port ?? 0))));
		const stop = () => fake.stop().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	};
	main().catch((error) => {
		console.error(`${what}: ${error.message}`);
		process.exit(1);
	});
}

module.exports = { listenLocally, closeServer, runSandbox };
