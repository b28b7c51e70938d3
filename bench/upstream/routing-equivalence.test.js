'use strict';
/**
 * Proposal 1 (docs/upstream/routing-node-value.md) changes no request: every declarative node of
 * n8n 2.41.1's n8n-nodes-base, every version, every resource × operation, with user-like
 * parameters (expressions mapped from the item, collections filled, see declarativeNodes.js), runs
 * through n8n-core's real WorkflowExecute → RoutingNode twice: in the pinned runtime and in a
 * throw-away copy with the proposal applied (bench/upstream/patchedRuntime.js). n8n's real HTTP
 * client sends every request; an axios interceptor points it at a local server that records it
 * (method, original URL, headers, body). Requests, output items and errors must be equal, and the
 * patched run must evaluate no more expressions.
 *
 * Needs the pinned runtime in .cache/ (not part of `npm test`):  npm run bench:equivalence
 */
const fs = require('node:fs');
const http = require('node:http');
const { createRequire } = require('node:module');
const os = require('node:os');
const path = require('node:path');

process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-upstream-equivalence-'));
process.env.N8N_LOG_LEVEL = 'silent';
process.env.N8N_SSRF_PROTECTION_ENABLED = 'false';

const { ensureRuntime } = require('../../e2e/runtime');
const { patchedRuntime, runtimeDir, originalChecksums, assertOriginalUnchanged } = require('./patchedRuntime');
const { ITEMS, STRING, candidateFiles, loadDeclarative, parameterSets, credentialData } = require('./declarativeNodes');

/** A mapped string whose expression throws: it names a node the workflow does not have. */
const BROKEN = "={{ $('No Such Node').item.json.s }}";

/** A local server that records every request and answers 200 with a small JSON body. */
function captureServer() {
	const requests = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const headers = { ...req.headers };
			for (const h of ['host', 'connection', 'content-length', 'x-capture-url', 'x-capture-run', 'accept-encoding']) delete headers[h];
			requests.push({ run: req.headers['x-capture-run'], method: req.method, url: req.headers['x-capture-url'], headers, body: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ id: 'r1', data: [{ id: 'd1' }], items: [{ id: 'i1' }], results: [] }));
		});
	});
	return {
		requests,
		start: () => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`))),
		stop: () => new Promise((resolve) => server.close(resolve)),
	};
}

/**
 * n8n's modules are loaded by Node's own require, not jest's module registry: jest's cannot load
 * the ES modules some nodes' dependencies are (change-case, currency-codes, …), and one loader for
 * all of n8n-core, n8n-workflow and n8n-nodes-base keeps a single n8n-workflow per runtime.
 */
const nodeRequire = createRequire(__filename);

/** n8n-core, n8n-workflow and n8n-nodes-base of one runtime folder, with the HTTP client pointed at `capture`. */
function world(dir, captureUrl, label) {
	const modules = path.join(dir, 'node_modules');
	const core = nodeRequire(path.join(modules, 'n8n-core'));
	const workflow = nodeRequire(path.join(modules, 'n8n-workflow'));
	const axios = nodeRequire(nodeRequire.resolve('axios', { paths: [path.join(modules, '@n8n', 'backend-network')] }));
	const w = { label, core, workflow, nodesBase: path.join(modules, 'n8n-nodes-base'), run: '', evaluations: 0 };
	axios.interceptors.request.use((config) => {
		config.headers.set('x-capture-url', axios.getUri(config));
		config.headers.set('x-capture-run', w.run);
		Object.assign(config, { baseURL: undefined, params: undefined, url: `${captureUrl}/capture` });
		return config;
	});
	const resolve = workflow.Expression.prototype.resolveSimpleParameterValue;
	workflow.Expression.prototype.resolveSimpleParameterValue = function (value, ...rest) {
		if (typeof value === 'string' && value.startsWith('=')) w.evaluations++;
		return resolve.call(this, value, ...rest);
	};
	w.credentialTypes = credentialTypes(w.nodesBase);
	return w;
}

/** Credential types of n8n-nodes-base by name (their properties, for placeholder data). */
function credentialTypes(nodesBase) {
	const pkg = JSON.parse(fs.readFileSync(path.join(nodesBase, 'package.json'), 'utf8'));
	const types = {};
	for (const file of pkg.n8n.credentials) {
		try {
			for (const Type of Object.values(nodeRequire(path.join(nodesBase, file)))) {
				if (typeof Type !== 'function') continue;
				const instance = new Type();
				if (instance.name) types[instance.name] = instance;
			}
		} catch {
			// a credential file that does not load: its nodes get no placeholder fields
		}
	}
	return types;
}

class ManualTrigger {
	description = { displayName: 'Trigger', name: 'trigger', group: ['trigger'], version: 1, description: '', defaults: {}, inputs: [], outputs: ['main'], properties: [] };
	async execute() {
		return [this.getInputData()];
	}
}

/** Runs one parameter set of one node type through WorkflowExecute in world `w`; returns output, error, requests. */
async function runOnce(w, entry, parameters, server) {
	const { core, workflow } = w;
	const credentials = {};
	for (const c of entry.type.description.credentials ?? []) credentials[c.name] = { id: `cred-${c.name}`, name: c.name };
	const node = { id: 'n1', name: 'Node', type: entry.name, typeVersion: entry.version, position: [200, 0], parameters: structuredClone(parameters), credentials, continueOnFail: true };
	const trigger = { id: 't1', name: 'Trigger', type: 'test.trigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const types = { 'test.trigger': new ManualTrigger(), [entry.name]: entry.type };
	const wf = new workflow.Workflow({
		id: 'wf',
		nodes: [trigger, node],
		connections: { Trigger: { main: [[{ node: 'Node', type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes: {
			getByName: (t) => types[t],
			getByNameAndVersion: (t, v) => workflow.NodeHelpers.getVersionedNodeType(types[t], v),
			getKnownTypes: () => ({}),
		},
	});
	const credentialsHelper = new (class extends workflow.ICredentialsHelper {
		async getDecrypted(_a, _n, type) {
			return credentialData(w.credentialTypes[type]?.properties);
		}
		async authenticate(_c, type, request) {
			return { ...request, headers: { ...request.headers, 'x-test-credential': type } };
		}
		getParentTypes() {
			return [];
		}
		isCredentialUsableByNode() {
			return true;
		}
		getCredentialsProperties(type) {
			return w.credentialTypes[type]?.properties ?? [];
		}
		async preAuthentication() {
			return undefined;
		}
		async runPreAuthentication() {
			return undefined;
		}
		async getCredentials() {
			throw new Error('not used');
		}
		async updateCredentials() {}
		async updateCredentialsOauthTokenData() {}
	})();
	const additionalData = {
		credentialsHelper,
		hooks: new core.ExecutionLifecycleHooks('manual', 'exec-eq', { nodes: [], connections: {} }),
		variables: {},
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		executionId: 'exec-eq',
	};
	const data = workflow.createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: wf.getNode('Trigger'), data: { main: [ITEMS.map((json) => ({ json }))] }, source: null }] },
	});
	w.run = `${w.label}:${entry.name}@${entry.version}:${Math.random()}`;
	const before = w.evaluations;
	let result;
	try {
		result = await new core.WorkflowExecute(additionalData, 'manual', data).processRunExecutionData(wf);
	} catch (error) {
		// e.g. WorkflowHasIssuesError: n8n refuses to start (a required parameter the generator left empty)
		return { output: [], error: { message: `${error.name}: ${error.message}`, description: null }, requests: [], evaluations: w.evaluations - before };
	}
	const task = result.data.resultData.runData.Node?.[0];
	const errorOf = (e) => (e ? { message: e.message, description: e.description ?? null } : null);
	const sortKey = (r) => JSON.stringify([r.method, r.url, r.body, r.headers]);
	return {
		output: (task?.data?.main?.[0] ?? []).map((item) => ({ json: item.json, error: errorOf(item.error) })),
		error: errorOf(result.data.resultData.error ?? task?.error),
		requests: server.requests.filter((r) => r.run === w.run).map(({ method, url, headers, body }) => ({ method, url, headers, body })).sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
		evaluations: w.evaluations - before,
	};
}

/**
 * Every expression in a node description that mentions `$value`, with where it sits: 'routing'
 * (inside a `routing` object, where getRequestOptionsFromParameters sets `$value` to the routed
 * parameter's own value before evaluating), 'editor' (a resource locator mode's `url`, the
 * editor's "open" link, which RoutingNode never evaluates) or 'elsewhere'.
 */
function valueReaders(properties) {
	const found = [];
	const walk = (value, where, place) => {
		if (typeof value === 'string') {
			if (value.startsWith('=') && value.includes('$value')) found.push({ where, place: place ?? (/\.modes\[\d+\]\.url$/.test(where) ? 'editor' : 'elsewhere') });
		} else if (Array.isArray(value)) {
			value.forEach((v, i) => walk(v, `${where}[${i}]`, place));
		} else if (value && typeof value === 'object') {
			for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`, place ?? (k === 'routing' ? 'routing' : undefined));
		}
	};
	walk(properties, 'properties', undefined);
	return found;
}

jest.setTimeout(20 * 60 * 1000);

const server = captureServer();
const summary = { broken: 0, brokenFailed: 0, outcomes: {}, readers: { routing: 0, editor: 0, elsewhere: [] }, nodes: new Set(), types: 0, sets: 0, requests: 0, withRequests: 0, failedBoth: 0, evaluations: { unpatched: 0, patched: 0 }, skipped: [] };
let runtime;
let patched;
let checksums;
let worlds;
let entries;

beforeAll(async () => {
	runtime = await ensureRuntime();
	checksums = originalChecksums(runtime);
	patched = patchedRuntime(runtime, ['routing'], 'equivalence');
	const url = await server.start();
	worlds = { unpatched: world(runtimeDir(runtime), url, 'unpatched'), patched: world(patched.dir, url, 'patched') };
	const files = candidateFiles(worlds.unpatched.nodesBase);
	entries = {
		unpatched: loadDeclarative(worlds.unpatched.nodesBase, files, worlds.unpatched.workflow, nodeRequire),
		patched: loadDeclarative(worlds.patched.nodesBase, files, worlds.patched.workflow, nodeRequire),
	};
});

afterAll(async () => {
	await server.stop();
	patched?.remove();
	if (runtime) assertOriginalUnchanged(runtime, checksums);
	fs.rmSync(process.env.N8N_USER_FOLDER, { recursive: true, force: true });
	const lines = [
		`declarative nodes: ${summary.nodes.size}, node type versions: ${summary.types}; parameter sets (resource × operation): ${summary.sets}`,
		`sets that sent requests: ${summary.withRequests}, requests compared: ${summary.requests}; sets that failed before any request, identically in both: ${summary.failedBoth}`,
		`first set of each node type with every mapped string broken (a missing node): ${summary.broken}, of them failing: ${summary.brokenFailed}; same requests, outputs and errors`,
		`expression evaluations: unpatched ${summary.evaluations.unpatched}, patched ${summary.evaluations.patched}`,
		`outcomes of the sets without requests (same in both): ${Object.entries(summary.outcomes).map(([k, n]) => `${n}× ${k}`).join('; ') || 'none'}`,
		`description expressions reading $value: ${summary.readers.routing} inside routing, ${summary.readers.editor} editor links (resource locator modes[].url), ${summary.readers.elsewhere.length} elsewhere${summary.readers.elsewhere.length ? `: ${summary.readers.elsewhere.join('; ')}` : ''}`,
		`not loadable: ${summary.skipped.join('; ') || 'none'}`,
	];
	process.stdout.write(`\n[routing equivalence]\n${lines.join('\n')}\n`);
	if (process.env.EQUIVALENCE_SUMMARY) fs.writeFileSync(process.env.EQUIVALENCE_SUMMARY, `${lines.join('\n')}\n`);
});

test('no declarative node of n8n-nodes-base reads $value outside a routing object', () => {
	for (const entry of entries.unpatched.filter((e) => !e.error)) {
		for (const reader of valueReaders(entry.type.description.properties)) {
			if (reader.place === 'elsewhere') summary.readers.elsewhere.push(`${entry.name}@${entry.version} ${reader.where}`);
			else summary.readers[reader.place]++;
		}
	}
	expect(summary.readers.routing).toBeGreaterThan(0);
	expect(summary.readers.elsewhere).toEqual([]);
});

test('every declarative node of n8n-nodes-base sends the same requests, outputs and errors with proposal 1', async () => {
	const loaded = entries.unpatched.filter((e) => !e.error);
	summary.skipped = entries.unpatched.filter((e) => e.error).map((e) => `${e.file} (${e.error})`);
	expect(loaded.length).toBeGreaterThan(20); // n8n 2.41.1 has ≈ 30 declarative nodes
	for (const entry of loaded) {
		const twin = entries.patched.find((e) => e.name === entry.name && e.version === entry.version);
		summary.nodes.add(entry.name);
		summary.types++;
		for (const { label, parameters } of parameterSets(entry.type, worlds.unpatched.workflow)) {
			const a = await runOnce(worlds.unpatched, entry, parameters, server);
			const b = await runOnce(worlds.patched, twin, parameters, server);
			const where = `${entry.name}@${entry.version} ${label}`;
			expect({ where, requests: b.requests, output: b.output, error: b.error }).toEqual({ where, requests: a.requests, output: a.output, error: a.error });
			expect(b.evaluations).toBeLessThanOrEqual(a.evaluations);
			summary.sets++;
			summary.requests += a.requests.length;
			if (a.requests.length) summary.withRequests++;
			else {
				summary.failedBoth++;
				const why = (a.error?.message ?? a.output.find((i) => i.error)?.error.message ?? 'no request, no error').split('\n')[0].slice(0, 90);
				summary.outcomes[why] = (summary.outcomes[why] ?? 0) + 1;
			}
			summary.evaluations.unpatched += a.evaluations;
			summary.evaluations.patched += b.evaluations;
		}
		// The same with every mapped string broken (it names a missing node): the same errors.
		const [first] = parameterSets(entry.type, worlds.unpatched.workflow);
		const broken = JSON.parse(JSON.stringify(first.parameters).replaceAll(STRING, BROKEN));
		const a = await runOnce(worlds.unpatched, entry, broken, server);
		const b = await runOnce(worlds.patched, twin, broken, server);
		const where = `${entry.name}@${entry.version} ${first.label} (broken expressions)`;
		expect({ where, requests: b.requests, output: b.output, error: b.error }).toEqual({ where, requests: a.requests, output: a.output, error: a.error });
		summary.broken++;
		if (a.error || a.output.some((item) => item.error)) summary.brokenFailed++;
	}
	expect(summary.withRequests).toBeGreaterThan(summary.sets / 2);
	expect(summary.brokenFailed).toBeGreaterThan(summary.broken / 2);
});
