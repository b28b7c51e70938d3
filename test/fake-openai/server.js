'use strict';
/**
 * A stand-in for OpenAI's Chat Completions API on 127.0.0.1, for n8n's OpenAI Chat Model node
 * (with "Use Responses API" off, which the AI agent example sets) driving an AI Agent whose tool is
 * this package's node. It plays a model with one habit:
 *
 *   1. asked about a visitor's message, it calls the tool once, filling the tool's arguments from
 *      the JSON schema n8n sent in `tools` (so a renamed or retyped $fromAI field fails loudly);
 *   2. given the tool's result, it answers with a final text and never calls the tool again.
 *
 * A `script` replaces that habit with a scripted model (see shopAssistant.js): given each request's
 * body it says what to answer — a text, or a call of a named tool whose arguments are still checked
 * against the schema n8n sent.
 *
 * Every request is recorded (`requests`), and `toolResults` holds the tool results the "model"
 * received, so a test can assert on the exact text an agent sees when the tool fails.
 * Plain JavaScript so that it runs under any Node without a build step.
 */
const http = require('node:http');
const { closeServer, listenLocally } = require('../localServer');

/** How the fake fills the tool's arguments: one value per JSON schema property, by name. */
const DEFAULT_ARGUMENTS = { text: 'Hello from the fake model: your order #1042 shipped yesterday.' };
const DEFAULT_ANSWER = 'I replied to the visitor.';
const MAX_BODY_BYTES = 1024 * 1024;

class FakeOpenAi {
	/**
	 * @param {object} [options]
	 * @param {string} [options.apiKey] the key every request must carry as `Authorization: Bearer …`
	 * @param {Record<string, unknown>} [options.toolArguments] values for the tool's schema properties
	 * @param {string} [options.toolName] the tool to call (default: the only one offered)
	 * @param {string} [options.finalAnswer] the text of the final answer after the tool result
	 * @param {(body: any) => ({text: string} | {tool: string, arguments: Record<string, unknown>})} [options.script]
	 *   answers each request instead of the one-tool habit
	 */
	constructor(options = {}) {
		this.apiKey = options.apiKey ?? 'sk-fake-openai';
		this.toolArguments = options.toolArguments ?? DEFAULT_ARGUMENTS;
		this.toolName = options.toolName;
		this.finalAnswer = options.finalAnswer ?? DEFAULT_ANSWER;
		this.script = options.script;
		/** @type {Array<{method: string, path: string, headers: object, body: any, at: number}>} */
		this.requests = [];
		/** @type {Array<{toolCallId: string, content: string}>} */
		this.toolResults = [];
		/** Why the fake refused to play along (a schema it cannot fill); tests assert it stays empty */
		this.problems = [];
		this.calls = 0;
		this.server = http.createServer((req, res) => this.handle(req, res));
	}

	/** Starts on 127.0.0.1 (an ephemeral port unless given) and returns the base URL, e.g. http://127.0.0.1:1234/v1 */
	async start(port = 0) {
		await listenLocally(this.server, port);
		return this.baseUrl;
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.server.address().port}/v1`;
	}

	async stop() {
		await closeServer(this.server);
	}

	handle(req, res) {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) req.destroy();
			else chunks.push(chunk);
		});
		req.on('end', () => {
			const send = (status, body) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			let body;
			try {
				body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
			} catch {
				return send(400, openAiError('Could not parse the JSON body of your request.', 'invalid_request_error'));
			}
			const path = req.url.split('?')[0];
			this.requests.push({ method: req.method, path, headers: { ...req.headers }, body, at: Date.now() });
			if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
				return send(401, openAiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
			}
			if (req.method === 'GET' && path === '/v1/models') {
				return send(200, { object: 'list', data: [{ id: 'gpt-4.1-mini', object: 'model', created: 0, owned_by: 'fake' }] });
			}
			if (req.method !== 'POST' || path !== '/v1/chat/completions') {
				return send(404, openAiError(`Unknown route ${req.method} ${path} (this fake only serves Chat Completions)`, 'invalid_request_error'));
			}
			if (body?.stream) return send(400, openAiError('This fake does not stream; n8n sent stream: true', 'invalid_request_error'));
			try {
				send(200, this.complete(body));
			} catch (error) {
				this.problems.push(error.message);
				send(400, openAiError(error.message, 'invalid_request_error'));
			}
		});
	}

	/** One Chat Completions answer: a tool call first, then a final text once a tool result came back. */
	complete(body) {
		const messages = Array.isArray(body?.messages) ? body.messages : [];
		const results = messages.filter((m) => m.role === 'tool');
		for (const m of results) {
			if (!this.toolResults.some((r) => r.toolCallId === m.tool_call_id)) {
				this.toolResults.push({ toolCallId: m.tool_call_id, content: contentText(m.content) });
			}
		}
		const id = `chatcmpl-fake${++this.calls}`;
		if (this.script) return this.scripted(id, body);
		if (results.length > 0) return completion(id, body.model, { role: 'assistant', content: this.finalAnswer }, 'stop');

		const tool = this.pickTool(body.tools);
		const call = {
			id: `call_fake${this.calls}`,
			type: 'function',
			function: { name: tool.function.name, arguments: JSON.stringify(this.fill(tool.function)) },
		};
		return completion(id, body.model, { role: 'assistant', content: null, tool_calls: [call] }, 'tool_calls');
	}

	/** The script's answer as a completion: a text, or a tool call filled and checked like the habit's. */
	scripted(id, body) {
		const answer = this.script(body);
		if (typeof answer?.text === 'string') return completion(id, body.model, { role: 'assistant', content: answer.text }, 'stop');
		const tool = this.pickTool(body.tools, answer.tool);
		const call = {
			id: `call_fake${this.calls}`,
			type: 'function',
			function: { name: tool.function.name, arguments: JSON.stringify(this.fill(tool.function, answer.arguments)) },
		};
		return completion(id, body.model, { role: 'assistant', content: null, tool_calls: [call] }, 'tool_calls');
	}

	pickTool(tools, toolName = this.toolName) {
		const functions = (Array.isArray(tools) ? tools : []).filter((t) => t?.type === 'function' && t.function?.name);
		if (functions.length === 0) throw new Error('The request offered no tools to call');
		if (toolName === undefined) {
			if (functions.length > 1) throw new Error(`Several tools offered (${functions.map((t) => t.function.name).join(', ')}); name one`);
			return functions[0];
		}
		const tool = functions.find((t) => t.function.name === toolName);
		if (!tool) throw new Error(`No tool named ${toolName} among ${functions.map((t) => t.function.name).join(', ')}`);
		return tool;
	}

	/**
	 * The tool's arguments as a model would write them: every property of its JSON schema, typed as
	 * the schema says. A property the fake has no value for, a value of the wrong type or a missing
	 * schema are refused (HTTP 400, recorded in `problems`).
	 */
	fill(fn, values = this.toolArguments) {
		const schema = fn.parameters;
		const properties = schema?.type === 'object' ? schema.properties ?? {} : undefined;
		if (!properties) throw new Error(`Tool ${fn.name} has no object schema`);
		const args = {};
		for (const [name, property] of Object.entries(properties)) {
			if (!(name in values)) throw new Error(`Tool ${fn.name} asks for "${name}", which this fake has no value for`);
			const value = values[name];
			if (property.type && !hasType(value, property.type)) {
				throw new Error(`Tool ${fn.name}: "${name}" is of type ${property.type}, the fake's value is ${typeOf(value)}`);
			}
			args[name] = value;
		}
		for (const name of Object.keys(values)) {
			if (!(name in properties)) throw new Error(`Tool ${fn.name} has no parameter "${name}" (its schema: ${Object.keys(properties).join(', ') || 'none'})`);
		}
		return args;
	}
}

function typeOf(value) {
	return Array.isArray(value) ? 'array' : typeof value;
}

/** JSON schema types: "integer" is a number too. */
function hasType(value, type) {
	if (type === 'integer') return Number.isInteger(value);
	return typeOf(value) === type;
}

/** A message's content as text: a string, or the text parts of a content array. */
function contentText(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (typeof part === 'string' ? part : part?.text ?? '')).join('');
	return JSON.stringify(content);
}

function completion(id, model, message, finishReason) {
	return {
		id,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: model ?? 'gpt-4.1-mini',
		choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

function openAiError(message, type, code = null) {
	return { error: { message, type, param: null, code } };
}

module.exports = { FakeOpenAi, DEFAULT_ARGUMENTS, DEFAULT_ANSWER, contentText };
