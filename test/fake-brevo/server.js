'use strict';
/**
 * A stateful stand-in for Brevo's Conversations API on 127.0.0.1, used by the tests and by
 * `npm start` as a sandbox. It enforces the contract the way Brevo does (keys, required fields,
 * the agent identity rule, agent-only edits, 404 {code,message}, empty 201/204 replies), keeps
 * messages in memory, can be told to answer 429 (with x-sib-ratelimit-* headers) or 5xx, and
 * records every request it receives.
 * Plain JavaScript so that it runs under any Node without a build step.
 */
const http = require('node:http');
const { closeServer, listenLocally } = require('../localServer');
const { randomBytes } = require('node:crypto');

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function brevoLikeId(length = 17) {
	const bytes = randomBytes(length);
	let id = '';
	for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
	return id;
}

class ApiError extends Error {
	constructor(status, code, message) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

const isNonEmptyString = (v) => typeof v === 'string' && v.trim() !== '';

/** Brevo rejects "" for a field: optional fields must be left out, not sent empty. */
function checkOptionalStrings(body, names) {
	for (const name of names) {
		if (body[name] !== undefined && !isNonEmptyString(body[name])) {
			throw new ApiError(400, 'invalid_parameter', `${name} is invalid: expected a non-empty string`);
		}
	}
}

function requireStrings(body, names) {
	for (const name of names) {
		if (body[name] === undefined || body[name] === null) {
			throw new ApiError(400, 'missing_parameter', `${name} is missing`);
		}
		if (!isNonEmptyString(body[name])) {
			throw new ApiError(400, 'invalid_parameter', `${name} is invalid: expected a non-empty string`);
		}
	}
}

/** Either agentId alone, or agentEmail + agentName + receivedFrom together. */
function checkAgentIdentity(body) {
	checkOptionalStrings(body, ['agentId', 'agentEmail', 'agentName', 'receivedFrom']);
	if (body.agentId !== undefined) return;
	if (body.agentEmail === undefined || body.agentName === undefined || body.receivedFrom === undefined) {
		throw new ApiError(
			400,
			'missing_parameter',
			'agentId or all of agentEmail, agentName and receivedFrom must be provided',
		);
	}
}

class FakeBrevo {
	/**
	 * @param {object} [options]
	 * @param {string | string[]} [options.apiKey] the key every request must carry in `api-key` (a list:
	 *   any of them, as for one n8n serving several Brevo accounts)
	 * @param {string} [options.partnerKey] when set, every request must also carry it in `partner-key`
	 * @param {{limit: number, windowMs: number}} [options.quota] fixed-window quota (none by default)
	 * @param {boolean} [options.record] keep the requests log (default true; benchmarks turn it off)
	 * @param {number} [options.latencyMs] hold every answer this long after the request was processed,
	 *   as a slow network would: the message exists at once, the caller learns it only later (a
	 *   queue-mode test kills an n8n worker while its sends wait here)
	 * @param {boolean} [options.knownVisitorsOnly] a Send to a visitor ID the fake has never seen
	 *   (seedVisitor, or any message of that visitor) answers 404 "Visitor not found", the answer
	 *   Brevo documents for a visitor it does not know (PUT /conversations/visitorGroup); off by
	 *   default, so tests that send to made-up visitors keep working
	 * @param {string | string[]} [options.webhookUrl] as Brevo does with the webhooks of an account, post
	 *   each message sent through the API (agent or automated) back as a `conversationFragment` to this
	 *   URL (a list: to each), e.g. a Brevo Conversations Trigger's production URL with its token. Off by
	 *   default: tests that use the fake as an API only get no calls they did not ask for
	 * @param {(echo: {url: string, messageId: string, status: number, answer: string}) => void} [options.onEcho]
	 *   called once each echo is answered
	 */
	constructor(options = {}) {
		this.apiKey = options.apiKey ?? 'test-api-key';
		this.partnerKey = options.partnerKey;
		this.quota = options.quota;
		this.record = options.record ?? true;
		this.latencyMs = options.latencyMs ?? 0;
		this.knownVisitorsOnly = options.knownVisitorsOnly ?? false;
		this.webhookUrls = [options.webhookUrl ?? []].flat();
		/** visitorId → { conversationId, visitor }: Brevo keeps one ongoing conversation per visitor */
		this.conversations = new Map();
		/** The echoes posted to the webhook URLs: { url, messageId, status } (status 0: no answer) */
		this.echoes = [];
		/** Called with each echo once answered (the sandbox logs it) */
		this.onEcho = options.onEcho;
		/** Echoes still in flight, so a test (or stop()) can wait for them */
		this.pendingEchoes = new Set();
		/** Visitor IDs that opened the chat widget (or were bound to it) without writing yet */
		this.visitors = new Set();
		/** Answers processed but still held back by `latencyMs` */
		this.held = 0;
		/** @type {Array<{method: string, path: string, headers: object, body: any, rawBody: string, at: number}>} */
		this.requests = [];
		this.messages = new Map();
		this.failures = [];
		this.blockedIp = false;
		this.requestCount = 0;
		this.window = { start: 0, used: 0 };
		/** Files visitors sent, served unauthenticated like Brevo's file links: path → {data, mimeType, ...} */
		this.files = new Map();
		this.server = http.createServer((req, res) => this.handle(req, res));
	}

	/** Starts on 127.0.0.1 (an ephemeral port unless given) and returns the base URL, e.g. http://127.0.0.1:1234/v3 */
	async start(port = 0) {
		await listenLocally(this.server, port);
		return this.baseUrl;
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.server.address().port}/v3`;
	}

	async stop() {
		await this.echoesSettled();
		await closeServer(this.server);
	}

	/** Resolves once every echo posted so far has been answered (or has failed). */
	async echoesSettled() {
		await Promise.all([...this.pendingEchoes]);
	}

	/**
	 * The visitor's ongoing conversation: the one an event seeded (seedEvent), else a new ID that the
	 * visitor keeps, as on Brevo, where the conversation ID stays the same for one visitor.
	 */
	conversationOf(visitorId) {
		if (!this.conversations.has(visitorId)) this.conversations.set(visitorId, { conversationId: brevoLikeId(), visitor: { id: visitorId } });
		return this.conversations.get(visitorId);
	}

	/** A visitor Brevo knows from a webhook event it sent (its conversation ID and visitor object). */
	seedEvent(event) {
		const visitor = event && event.visitor;
		if (!visitor || typeof visitor.id !== 'string' || typeof event.conversationId !== 'string') throw new Error('an event needs visitor.id and conversationId');
		this.visitors.add(visitor.id);
		this.conversations.set(visitor.id, { conversationId: event.conversationId, visitor });
	}

	/**
	 * Posts a message sent through the API back to the webhook URLs, as a Conversation Fragment holding
	 * that message only, in the shape of Brevo's webhooks (developers.brevo.com, "Conversations webhooks").
	 */
	echo(message) {
		if (this.webhookUrls.length === 0) return;
		const { conversationId, visitor } = this.conversationOf(message.visitorId);
		// A webhook's message names no visitor: the event's `visitor` does.
		const fields = { ...message };
		delete fields.visitorId;
		const body = JSON.stringify({
			eventName: 'conversationFragment',
			conversationId,
			messages: [{ ...fields, html: message.text, isTrigger: false, isMissed: false }],
			agents: [{ id: message.agentId, name: message.agentName }],
			visitor,
		});
		for (const url of this.webhookUrls) {
			const posted = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(30000) })
				.then(async (response) => ({ status: response.status, answer: await response.text() }))
				.catch((error) => ({ status: 0, answer: String(error && error.message) }))
				.then(({ status, answer }) => {
					const echo = { url, messageId: message.id, status, answer };
					this.echoes.push(echo);
					if (this.onEcho) this.onEcho(echo);
					this.pendingEchoes.delete(posted);
				});
			this.pendingEchoes.add(posted);
		}
	}

	/** The next `count` requests (after authentication) answer with this status/body/headers. */
	failNext(status, body = { code: 'internal_error', message: 'Internal error' }, { count = 1, headers = {} } = {}) {
		for (let i = 0; i < count; i++) this.failures.push({ status, body, headers });
	}

	/** Answer every request as Brevo does for a caller outside the account's Authorised IPs. */
	blockIp(blocked = true) {
		this.blockedIp = blocked;
	}

	/** A visitor Brevo knows, e.g. a logged-in customer whose page set the widget's visitorId. */
	seedVisitor(visitorId) {
		this.visitors.add(visitorId);
	}

	/** Whether Brevo has seen this visitor: bound to the widget, or part of a conversation. */
	knowsVisitor(visitorId) {
		if (this.visitors.has(visitorId)) return true;
		for (const message of this.messages.values()) if (message.visitorId === visitorId) return true;
		return false;
	}

	/** With `knownVisitorsOnly`, a Send to a visitor never seen is refused before anything is stored. */
	requireKnownVisitor(visitorId) {
		if (this.knownVisitorsOnly && !this.knowsVisitor(visitorId)) {
			throw new ApiError(404, 'document_not_found', 'Visitor not found');
		}
	}


	/**
	 * A visitor's message. Brevo's reference documents GET /conversations/messages/{id} ("Get a
	 * message") for any message, its `type` being "agent" or "visitor", and PUT / DELETE as "a
	 * message sent by an agent… Only agents' messages can be edited / deleted" (answers 400 or 404).
	 * So Get returns it (200) and Update / Delete refuse it (400; Brevo's exact text is not documented).
	 */
	seedVisitorMessage(visitorId = 'visitor-1', text = 'Hello, where is my order?') {
		const message = this.store({ type: 'visitor', text, visitorId, isPushed: false });
		return message.id;
	}

	/**
	 * An agent's message (or, with `isPushed`, an automated one) under a chosen ID, with fixed
	 * agent and time, so a test can seed it before n8n runs and compare n8n's output with it.
	 */
	seedAgentMessage(id, { text = 'Seeded agent message', visitorId = 'seeded-visitor', isPushed = false } = {}) {
		const message = { id, createdAt: 1760000000000, type: 'agent', text, visitorId, agentId: 'seeded-agent', agentName: 'Agent', isPushed };
		this.messages.set(id, message);
		return message;
	}

	clearRequests() {
		this.requests = [];
	}

	/**
	 * A file a visitor sent, served at the returned URL without an API key (Brevo's file links are
	 * plain links). `announceSize: false` sends it chunked, without Content-Length, as some servers do;
	 * `delayMs` holds the answer back (a slow file server); `status` answers with another status and
	 * no body (204, 304…), `redirectTo` with a 302 to that URL.
	 */
	seedFile(name, data, mimeType, { announceSize = true, delayMs = 0, status = 200, redirectTo } = {}) {
		const path = `/files/${brevoLikeId(10)}/${encodeURIComponent(name)}`;
		this.files.set(path, { data: Buffer.from(data), mimeType, announceSize, delayMs, status, redirectTo });
		return `${this.baseUrl.replace(/\/v3$/, '')}${path}`;
	}

	/** The URL of a file that does not exist (404) */
	missingFileUrl(name = 'gone.png') {
		return `${this.baseUrl.replace(/\/v3$/, '')}/files/missing/${encodeURIComponent(name)}`;
	}

	serveFile(req, res) {
		const file = this.files.get(req.url.split('?')[0]);
		if (!file) {
			res.writeHead(404, { 'content-type': 'text/plain' });
			res.end('Not found');
			return;
		}
		const answer = () => {
			if (res.destroyed) return;
			if (file.redirectTo) {
				res.writeHead(302, { location: file.redirectTo });
				res.end();
				return;
			}
			if (file.status !== 200) {
				res.writeHead(file.status);
				res.end();
				return;
			}
			const headers = { 'content-type': file.mimeType };
			if (file.announceSize) headers['content-length'] = String(file.data.length);
			res.writeHead(200, headers);
			// In two parts, so a reader that stops at a size limit can stop before the end.
			const half = Math.floor(file.data.length / 2);
			res.write(file.data.subarray(0, half));
			res.end(file.data.subarray(half));
		};
		if (file.delayMs > 0) setTimeout(answer, file.delayMs).unref();
		else answer();
	}

	store(fields) {
		const message = { id: brevoLikeId(), createdAt: Date.now(), ...fields };
		this.messages.set(message.id, message);
		return message;
	}

	rateLimitHeaders() {
		if (!this.quota) return {};
		const now = Date.now();
		const reset = Math.max(0, Math.ceil((this.window.start + this.quota.windowMs - now) / 1000));
		return {
			'x-sib-ratelimit-limit': String(this.quota.limit),
			'x-sib-ratelimit-remaining': String(Math.max(0, this.quota.limit - this.window.used)),
			'x-sib-ratelimit-reset': String(reset),
		};
	}

	/** Fixed windows that start with the first request after the previous one ended. */
	takeFromQuota() {
		if (!this.quota) return true;
		const now = Date.now();
		if (now >= this.window.start + this.quota.windowMs) this.window = { start: now, used: 0 };
		if (this.window.used >= this.quota.limit) return false;
		this.window.used++;
		return true;
	}

	handle(req, res) {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			let entry;
			this.requestCount++;
			if (this.record) {
				entry = { method: req.method, path: req.url, headers: { ...req.headers }, body: undefined, rawBody, at: Date.now() };
				this.requests.push(entry);
			}
			const send = (status, body, headers = {}) => {
				const payload = body === undefined ? '' : JSON.stringify(body);
				const allHeaders = { ...this.rateLimitHeaders(), ...headers };
				if (payload) allHeaders['content-type'] = 'application/json; charset=utf-8';
				const answer = () => {
					// The caller may be gone (a killed n8n worker): the answer is then lost, as on a network.
					if (!res.destroyed) {
						res.writeHead(status, allHeaders);
						res.end(payload);
					}
				};
				if (this.latencyMs <= 0) return answer();
				this.held++;
				setTimeout(() => {
					this.held--;
					answer();
				}, this.latencyMs);
			};
			try {
				let body;
				if (rawBody) {
					try {
						body = JSON.parse(rawBody);
					} catch {
						throw new ApiError(400, 'bad_request', 'Invalid JSON in request body');
					}
				}
				if (entry) entry.body = body;
				if (req.url.startsWith('/files/')) return this.serveFile(req, res);
				this.authenticate(req);
				const failure = this.failures.shift();
				if (failure) {
					const payload = typeof failure.body === 'string' ? failure.body : JSON.stringify(failure.body);
					res.writeHead(failure.status, { ...this.rateLimitHeaders(), ...failure.headers });
					res.end(payload ?? '');
					return;
				}
				if (!this.takeFromQuota()) {
					throw new ApiError(429, 'too_many_requests', 'Too many requests');
				}
				const { status, body: replyBody, created } = this.route(req.method, req.url, body ?? {});
				send(status, replyBody);
				if (created) this.echo(created);
			} catch (error) {
				if (error instanceof ApiError) {
					send(error.status, { code: error.code, message: error.message });
				} else {
					send(500, { code: 'internal_error', message: String(error && error.message) });
				}
			}
		});
	}

	authenticate(req) {
		if (this.blockedIp) {
			throw new ApiError(
				401,
				'unauthorized',
				'We have detected you are using an unrecognised IP address 203.0.113.7. If you performed this action make sure to add the new IP address in this link: https://app.brevo.com/security/authorised_ips',
			);
		}
		if (![this.apiKey].flat().includes(req.headers['api-key'])) throw new ApiError(401, 'unauthorized', 'Key not found');
		if (this.partnerKey !== undefined && req.headers['partner-key'] !== this.partnerKey) {
			throw new ApiError(401, 'unauthorized', 'Partner key not found');
		}
	}

	route(method, url, body) {
		const path = url.split('?')[0];
		if (!path.startsWith('/v3/')) throw new ApiError(404, 'not_found', 'Invalid URL');
		// Split the raw path: an encoded "/" (%2F) stays inside its segment, as on Brevo.
		const segments = path.slice('/v3/'.length).split('/');
		const [first, second, id, ...rest] = segments;
		if (first === 'account' && segments.length === 1) {
			if (method !== 'GET') throw new ApiError(405, 'method_not_allowed', 'Method not allowed');
			return {
				status: 200,
				body: { email: 'sandbox@example.com', firstName: 'Sandbox', lastName: 'Account', companyName: 'Fake Brevo', plan: [{ type: 'free' }] },
			};
		}
		if (first !== 'conversations' || rest.length) throw new ApiError(404, 'not_found', 'Invalid URL');
		if (second === 'agentOnlinePing' && id === undefined) {
			if (method !== 'POST') throw new ApiError(405, 'method_not_allowed', 'Method not allowed');
			checkAgentIdentity(body);
			return { status: 201, body: undefined };
		}
		if (second !== 'messages' && second !== 'pushedMessages') throw new ApiError(404, 'not_found', 'Invalid URL');
		const pushed = second === 'pushedMessages';
		if (id === undefined) {
			if (method !== 'POST') throw new ApiError(405, 'method_not_allowed', 'Method not allowed');
			const created = pushed ? this.createPushed(body) : this.createAgentMessage(body);
			return { status: 200, body: created, created };
		}
		let messageId;
		try {
			messageId = decodeURIComponent(id);
		} catch {
			throw new ApiError(400, 'invalid_parameter', 'Invalid message id');
		}
		const message = this.messages.get(messageId);
		if (!message || message.isPushed !== pushed) {
			throw new ApiError(404, 'document_not_found', 'Message not found');
		}
		if (method === 'GET') return { status: 200, body: message };
		if (message.type !== 'agent') {
			throw new ApiError(400, 'invalid_parameter', "Only agents' messages can be updated or deleted");
		}
		if (method === 'PUT') {
			requireStrings(body, ['text']);
			message.text = body.text;
			return { status: 200, body: message };
		}
		if (method === 'DELETE') {
			this.messages.delete(messageId);
			return { status: 204, body: undefined };
		}
		throw new ApiError(405, 'method_not_allowed', 'Method not allowed');
	}

	createAgentMessage(body) {
		requireStrings(body, ['visitorId', 'text']);
		checkAgentIdentity(body);
		this.requireKnownVisitor(body.visitorId);
		return this.store({
			type: 'agent',
			text: body.text,
			visitorId: body.visitorId,
			agentId: body.agentId ?? `dummy-${body.agentEmail}`,
			agentName: body.agentName ?? 'Agent',
			isPushed: false,
			receivedFrom: body.receivedFrom,
		});
	}

	createPushed(body) {
		requireStrings(body, ['visitorId', 'text']);
		checkOptionalStrings(body, ['agentId', 'groupId']);
		this.requireKnownVisitor(body.visitorId);
		return this.store({
			type: 'agent',
			text: body.text,
			visitorId: body.visitorId,
			agentId: body.agentId ?? (body.groupId ? `agent-of-${body.groupId}` : 'random-agent'),
			agentName: 'Agent',
			isPushed: true,
		});
	}
}

module.exports = { FakeBrevo };
