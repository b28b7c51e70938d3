'use strict';
/**
 * Loaded into the n8n process with NODE_OPTIONS=--require (bench only). It
 *  - counts n8n-workflow's expression evaluations (Expression#resolveSimpleParameterValue called
 *    with an `=…` expression), every one, per expression text and calling function, so the bench can
 *    attribute them to a node, a credential and the step of n8n's engine that asked;
 *  - counts credential decryptions (n8n-core's Credentials#getData: a database read and an AES
 *    decryption each), to show how often a node reads its credential;
 *  - notes the monotonic clock and the wall clock at the same instant, so that a --cpu-prof
 *    profile (monotonic µs) can be cut to a node's run (wall-clock ms in n8n's run data);
 *  - counts expression isolates: bridges built (isolated-vm `initialize`/`initializeSync`) and
 *    acquisitions (`ExpressionEvaluator#acquire`, eager or a lazy scope), for bench/upstream.js.
 * On exit it writes $BENCH_PRELOAD_DIR/preload-<pid>.json; with BENCH_PRELOAD_LIVE=1 it also
 * rewrites live-<pid>.json every 200 ms, so a long-running `n8n start` can be read between runs.
 * It changes nothing else.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const clock = { monotonicUs: Number(process.hrtime.bigint() / 1000n), wallMs: Date.now() };
const counts = Object.create(null);
const patched = new WeakSet();

/**
 * Which step asked for the evaluation: the first stack frame that is n8n's routing engine, a
 * node's own code or n8n's credentials helper (a credential's generic `authenticate`) — frames are
 * source-mapped to .ts — e.g. "RoutingNode.resolveBaseUrl", "CredentialsHelper.authenticate".
 */
function stepOf() {
	const limit = Error.stackTraceLimit;
	Error.stackTraceLimit = 40;
	const frames = new Error().stack.split('\n').slice(3);
	Error.stackTraceLimit = limit;
	const step = /RoutingNode\.(runNode|resolveBaseUrl|makeRequest)|CredentialsHelper\.(authenticate|getDecrypted)|n8n-nodes-brevo-conversations|HttpRequest|ExecuteContext\.execute/;
	const frame = frames.find((f) => step.test(f)) ?? frames.find((f) => !/n8n-workflow|preload\.js/.test(f)) ?? '';
	const name = frame.trim().replace(/^at (async )?/, '');
	const file = /([^/\\]+?)(\.node)?\.[jt]s:\d+/.exec(name)?.[1];
	return `${name.replace(/ \(.*$/, '')}${file ? ` (${file})` : ''}` || '(unknown)';
}

function patch(Expression) {
	const proto = Expression?.prototype;
	if (!proto || typeof proto.resolveSimpleParameterValue !== 'function' || patched.has(proto)) return;
	patched.add(proto);
	const original = proto.resolveSimpleParameterValue;
	proto.resolveSimpleParameterValue = function (parameterValue, ...rest) {
		if (typeof parameterValue === 'string' && parameterValue.startsWith('=')) {
			const byCaller = (counts[parameterValue] ??= Object.create(null));
			const step = process.env.BENCH_COUNT_CALLERS ? stepOf() : 'all';
			byCaller[step] = (byCaller[step] ?? 0) + 1;
		}
		return original.call(this, parameterValue, ...rest);
	};
}

let decryptions = 0;
function patchCredentials(Credentials) {
	const proto = Credentials?.prototype;
	if (!proto || typeof proto.getData !== 'function' || patched.has(proto)) return;
	patched.add(proto);
	const original = proto.getData;
	proto.getData = function (...args) {
		decryptions++;
		return original.apply(this, args);
	};
}

const isolates = { built: 0, acquired: 0 };
/** Counts calls of `method` on `proto` into isolates[key]. */
function countCalls(proto, method, key) {
	if (!proto || typeof proto[method] !== 'function' || patched.has(proto[method])) return;
	const original = proto[method];
	proto[method] = function (...args) {
		isolates[key]++;
		return original.apply(this, args);
	};
	patched.add(proto[method]);
}

const load = Module._load;
Module._load = function (request, ...rest) {
	const exported = load.call(this, request, ...rest);
	if (request === 'n8n-workflow' || request.endsWith('/expression') || request.endsWith('/expression.js')) {
		patch(exported?.Expression);
	}
	if (request === 'n8n-core') patchCredentials(exported?.Credentials);
	// @n8n/expression-runtime's own relative requires (n8n-workflow imports the package itself).
	if (request === './bridge/isolated-vm-bridge') {
		countCalls(exported?.IsolatedVmBridge?.prototype, 'initialize', 'built');
		countCalls(exported?.IsolatedVmBridge?.prototype, 'initializeSync', 'built');
	}
	if (request === './evaluator/expression-evaluator') countCalls(exported?.ExpressionEvaluator?.prototype, 'acquire', 'acquired');
	return exported;
};

const record = () => JSON.stringify({ pid: process.pid, argv: process.argv.slice(1, 3), clock, counts, decryptions, isolates });
process.on('exit', () => {
	const dir = process.env.BENCH_PRELOAD_DIR;
	if (!dir) return;
	fs.writeFileSync(path.join(dir, `preload-${process.pid}.json`), record());
});
if (process.env.BENCH_PRELOAD_DIR && process.env.BENCH_PRELOAD_LIVE) {
	const live = path.join(process.env.BENCH_PRELOAD_DIR, `live-${process.pid}.json`);
	setInterval(() => {
		fs.writeFileSync(`${live}.tmp`, record());
		fs.renameSync(`${live}.tmp`, live);
	}, 200).unref();
}
