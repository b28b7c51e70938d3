/** The trigger's named functions, one by one. */
import { refusedConnection } from '../../nodes/BrevoConversationsTrigger/helpers/fileAddress';
import { internalHostProblem } from '../../nodes/BrevoConversationsTrigger/helpers/internalAddress';
import { HookContext } from 'n8n-core';
import { NodeOperationError, Workflow, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { BrevoConversationsTrigger } from '../../nodes/BrevoConversationsTrigger/BrevoConversationsTrigger.node';
import { isEcho, removeEchoes } from '../../nodes/BrevoConversationsTrigger/helpers/echoFilter';
import { commaSeparated } from '../../nodes/BrevoConversationsTrigger/helpers/webhookEvent';
import { handleWebhookRequest, type Memory, type TriggerSettings } from '../../nodes/BrevoConversationsTrigger/helpers/handleWebhookRequest';
import { newestMessage, simplifyEvent, visitorEmail } from '../../nodes/BrevoConversationsTrigger/helpers/simplifyEvent';
import { activationProblem } from '../../nodes/BrevoConversationsTrigger/helpers/triggerSettings';
import { eventMessages, parseWebhookEvent } from '../../nodes/BrevoConversationsTrigger/helpers/webhookEvent';
import { checkToken, constantTimeEquals, tokenFromQuery, secretProblem } from '../../nodes/BrevoConversationsTrigger/helpers/webhookSecret';
import { TestCredentialsHelper } from '../harness/runNode';
import { savedTriggerNode } from './webhookServer';
import { agentMessage, conversationFragment, conversationStarted, conversationTranscript, visitorMessage, VISITOR_ID } from '../fake-brevo/brevoEvents';

const SECRET = 'Zq4uT9v1xW7yB2nM5kP8';

describe('constantTimeEquals', () => {
	it.each([
		['abc', 'abc', true],
		['', '', true],
		['abc', 'abd', false],
		['ab', 'abc', false],
		['abcd', 'abc', false],
		['', 'abc', false],
		['abc', '', false],
		['ABC', 'abc', false],
		// Same length, difference only in the last character
		[`${SECRET.slice(0, -1)}9`, SECRET, false],
	])('%j vs %j → %s', (provided, expected, equal) => {
		expect(constantTimeEquals(provided, expected)).toBe(equal);
	});

	it('agrees with === on random strings', () => {
		const alphabet = 'ab\u00e9\u{1F600}';
		const random = () => Array.from({ length: Math.floor(Math.random() * 4) }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
		for (let i = 0; i < 500; i++) {
			const a = random();
			const b = random();
			expect(constantTimeEquals(a, b)).toBe(a === b);
		}
	});
});

describe('tokenFromQuery and checkToken', () => {
	it('reads a single string token only', () => {
		expect(tokenFromQuery({ token: 'abc' })).toBe('abc');
		expect(tokenFromQuery({ token: ['abc', 'abc'] })).toBeUndefined();
		expect(tokenFromQuery({ token: '' })).toBeUndefined();
		expect(tokenFromQuery({ Token: 'abc' })).toBeUndefined();
		expect(tokenFromQuery(undefined)).toBeUndefined();
		expect(tokenFromQuery('token=abc')).toBeUndefined();
	});

	it('says why a token is refused', () => {
		expect(checkToken(SECRET, SECRET)).toBe('ok');
		expect(checkToken(undefined, SECRET)).toBe('missing');
		expect(checkToken('wrong-token-wrong-token', SECRET)).toBe('wrong');
		expect(checkToken('', '')).toBe('notConfigured');
		expect(checkToken(undefined, undefined)).toBe('notConfigured');
		expect(checkToken('short', 'short')).toBe('notConfigured');
	});
});

describe('secretProblem', () => {
	it('accepts a long URL-safe secret', () => {
		expect(secretProblem(SECRET)).toBeUndefined();
		expect(secretProblem('a'.repeat(16))).toBeUndefined();
	});

	it.each([
		['empty', ''],
		['not a string', 1234567890123456789],
		['15 characters', 'a'.repeat(15)],
		['characters that need URL escaping', 'abcdefgh&token=ijklmnop'],
		['spaces', 'abcdefgh ijklmnopq'],
	])('refuses a secret that is %s', (_name, secret) => {
		expect(secretProblem(secret)).toEqual(expect.any(String));
	});
});

describe('parseWebhookEvent and eventMessages', () => {
	it('accepts objects with a non-empty eventName', () => {
		const body = conversationStarted();
		expect(parseWebhookEvent(body)).toBe(body);
		expect(parseWebhookEvent({ eventName: 'somethingNew' })).toEqual({ eventName: 'somethingNew' });
	});

	it.each([[null], [undefined], ['text'], [[{ eventName: 'x' }]], [{}], [{ eventName: '' }], [{ eventName: 1 }], [Buffer.from('{}')]])(
		'refuses %p',
		(body) => {
			expect(parseWebhookEvent(body)).toBeUndefined();
		},
	);

	it('finds the messages of every event shape', () => {
		expect(eventMessages(conversationStarted())).toHaveLength(1);
		expect(eventMessages(conversationFragment([visitorMessage('a', 'x', 1), visitorMessage('b', 'y', 2)]))).toHaveLength(2);
		expect(eventMessages({ eventName: 'x', messages: [null, 'junk', { id: 'm' }] })).toEqual([{ id: 'm' }]);
		expect(eventMessages({ eventName: 'x' })).toEqual([]);
	});
});

describe('echo filter functions', () => {
	const echo = agentMessage('e', 'bot', 1, { receivedFrom: 'bot' });

	it('parses the comma-separated list', () => {
		expect(commaSeparated(' bot , crm,, ')).toEqual(['bot', 'crm']);
		expect(commaSeparated('')).toEqual([]);
		expect(commaSeparated(undefined)).toEqual([]);
	});

	it('matches receivedFrom exactly (after trimming)', () => {
		expect(isEcho(echo, ['bot'])).toBe(true);
		expect(isEcho({ ...echo, receivedFrom: ' bot ' }, ['bot'])).toBe(true);
		expect(isEcho({ ...echo, receivedFrom: 'bot2' }, ['bot'])).toBe(false);
		expect(isEcho({ ...echo, receivedFrom: 'Bot' }, ['bot'])).toBe(false);
		expect(isEcho(visitorMessage('v', 'hi', 1), ['bot'])).toBe(false);
	});

	it('returns the very same event when nothing is removed', () => {
		const event = parseWebhookEvent(conversationFragment([visitorMessage('v', 'hi', 1)]))!;
		expect(removeEchoes(event, ['bot'])).toBe(event);
		expect(removeEchoes(event, [])).toBe(event);
	});

	it('does not change the event it was given when removing messages', () => {
		const event = parseWebhookEvent(conversationFragment([visitorMessage('v', 'hi', 1), echo]))!;
		const kept = removeEchoes(event, ['bot']);
		expect(kept?.messages).toHaveLength(1);
		expect(event.messages).toHaveLength(2);
	});

	it('keeps a fragment that had no messages at all', () => {
		const event = parseWebhookEvent(conversationFragment([]))!;
		expect(removeEchoes(event, ['bot'])).toBe(event);
	});

	it('ignores a started conversation and an echo-only fragment, keeps a transcript', () => {
		expect(removeEchoes(parseWebhookEvent(conversationStarted(echo))!, ['bot'])).toBeUndefined();
		expect(removeEchoes(parseWebhookEvent(conversationFragment([echo]))!, ['bot'])).toBeUndefined();
		const transcript = parseWebhookEvent(conversationTranscript([echo]))!;
		expect(removeEchoes(transcript, ['bot'])).toBe(transcript);
	});
});

describe('simplify functions', () => {
	it('picks the newest message of a type by createdAt, later in the list on ties', () => {
		const messages = [visitorMessage('a', '', 5), visitorMessage('b', '', 9), agentMessage('c', '', 20), visitorMessage('d', '', 9)];
		expect(newestMessage(messages, 'visitor')?.id).toBe('d');
		expect(newestMessage(messages, 'agent')?.id).toBe('c');
		expect(newestMessage([], 'visitor')).toBeUndefined();
	});

	it('finds the visitor email in any attribute map, whatever the key case', () => {
		expect(visitorEmail({ contactAttributes: { EMAIL: 'a@example.com' } })).toBe('a@example.com');
		expect(visitorEmail({ attributes: { email: ' b@example.com ' } })).toBe('b@example.com');
		expect(visitorEmail({ integrationAttributes: { Email: 'c@example.com' } })).toBe('c@example.com');
		expect(visitorEmail({ contactAttributes: { EMAIL: 'not an email' } })).toBeUndefined();
		expect(visitorEmail({ contactAttributes: { EMAIL_OPTIN: 'x@example.com' } })).toBeUndefined();
		expect(visitorEmail(undefined)).toBeUndefined();
	});

	it('leaves out what Brevo did not send', () => {
		const simplified = simplifyEvent({ eventName: 'conversationFragment', conversationId: 'c1', messages: [], visitor: { id: 'v1' } });
		expect(simplified).toEqual({ eventName: 'conversationFragment', conversationId: 'c1', visitorId: 'v1', visitorMessages: [] });
		expect(Object.keys(simplified)).not.toContain('visitorName');
	});

	it('takes the agent of a conversation an agent started', () => {
		const started = { ...conversationStarted(agentMessage('m', 'Hello from us', 1)), agent: { id: 'ag1', name: 'Julia', email: 'j@example.com' } };
		const simplified = simplifyEvent(parseWebhookEvent(started)!);
		expect(simplified).toMatchObject({ agentId: 'ag1', agentName: 'Julia', visitorId: VISITOR_ID });
		// The only message is the agent's: there is no visitor message text to answer.
		expect(simplified.messageText).toBeUndefined();
	});

	it('falls back to the listed agents when no agent wrote in the fragment', () => {
		const simplified = simplifyEvent(parseWebhookEvent(conversationFragment([visitorMessage('v', 'hi', 1)]))!);
		expect(simplified).toMatchObject({ agentId: 'bnRzp4CioKudG4aHm', agentName: 'Julia', messageText: 'hi' });
	});
});

describe('handleWebhookRequest', () => {
	const settings: TriggerSettings = {
		events: ['conversationFragment'],
		expectedToken: SECRET,
		ignoredReceivedFrom: ['bot'],
		handoverReceivedFrom: [],
		humanPauseMs: 30 * 60_000,
		startOn: 'visitorMessage',
		simplify: false,
	};
	/** Nothing remembered yet; what the call remembers is checked in conversationMemory.test.ts */
	const fresh: Memory = { recall: () => undefined, now: 1_000 };
	const fragment = conversationFragment([visitorMessage('v', 'hi', 1)]);

	it('rejects, ignores or starts', () => {
		expect(handleWebhookRequest({ body: fragment, query: {} }, settings, fresh)).toMatchObject({ action: 'reject', status: 401 });
		expect(handleWebhookRequest({ body: fragment, query: { token: 'x' } }, settings, fresh)).toMatchObject({ action: 'reject', status: 403 });
		expect(handleWebhookRequest({ body: 'x', query: { token: SECRET } }, settings, fresh)).toMatchObject({ action: 'reject', status: 400 });
		expect(handleWebhookRequest({ body: conversationStarted(), query: { token: SECRET } }, settings, fresh)).toMatchObject({ action: 'ignore' });
		expect(handleWebhookRequest({ body: fragment, query: { token: SECRET } }, settings, fresh)).toMatchObject({ action: 'start', json: fragment, event: fragment });
		const agentOnly = conversationFragment([agentMessage('a', 'On it', 2)]);
		expect(handleWebhookRequest({ body: agentOnly, query: { token: SECRET } }, settings, fresh)).toMatchObject({ action: 'ignore' });
		expect(handleWebhookRequest({ body: agentOnly, query: { token: SECRET } }, { ...settings, startOn: 'anyMessage' }, fresh)).toMatchObject({ action: 'start' });
	});

	it('simplifies when asked', () => {
		const outcome = handleWebhookRequest({ body: fragment, query: { token: SECRET } }, { ...settings, simplify: true }, fresh);
		expect(outcome).toMatchObject({ action: 'start', json: { visitorId: VISITOR_ID, messageText: 'hi' } });
	});
});

describe('the node description and activation (through n8n-core\'s HookContext)', () => {
	const trigger = new BrevoConversationsTrigger();

	function hookContext(parameters: Record<string, unknown>, { token, typeVersion = 2 }: { token?: string; typeVersion?: number } = {}) {
		const node = savedTriggerNode(parameters as never, trigger, typeVersion);
		const workflow = new Workflow({
			id: 'wf-activation',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: { getByName: () => trigger, getByNameAndVersion: () => trigger, getKnownTypes: () => ({}) },
		});
		const additionalData = { credentialsHelper: new TestCredentialsHelper(token === undefined ? {} : { token }) } as unknown as IWorkflowExecuteAdditionalData;
		return new HookContext(workflow, node, additionalData, 'trigger', 'activate');
	}

	it('listens for POST on the path the README documents', () => {
		expect(trigger.description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }]);
		expect(trigger.description.name).toBe('brevoConversationsTrigger');
		expect(trigger.description.version).toEqual([1, 2]);
		expect(trigger.description.defaultVersion).toBe(2);
	});

	it('keeps the token out of version 2\'s parameters: it needs the webhook credential instead', () => {
		const v2 = savedTriggerNode({ events: ['conversationStarted'] }, trigger, 2);
		expect(Object.keys(v2.parameters).sort()).toEqual(['events', 'options', 'setupNotice', 'simplify']);
		expect(trigger.description.credentials).toEqual([
			expect.objectContaining({ name: 'brevoConversationsWebhookApi', required: true, displayOptions: { show: { '@version': [2] } } }),
		]);
		const v1 = savedTriggerNode({ events: ['conversationStarted'], secret: SECRET }, trigger, 1);
		expect(Object.keys(v1.parameters).sort()).toEqual(['events', 'options', 'secret', 'setupNoticeV1', 'simplify']);
	});

	it('offers exactly the three Brevo events', () => {
		const events = trigger.description.properties.find((p) => p.name === 'events');
		expect(events?.options?.map((o) => ('value' in o ? o.value : undefined)).sort()).toEqual([
			'conversationFragment',
			'conversationStarted',
			'conversationTranscript',
		]);
	});

	it('activates with a good token and an event, and has nothing to delete', async () => {
		const ctx = hookContext({ events: ['conversationStarted'] }, { token: SECRET });
		await expect(activationProblem(ctx)).resolves.toBeUndefined();
		await expect(trigger.webhookMethods.default.checkExists.call(ctx)).resolves.toBe(false);
		await expect(trigger.webhookMethods.default.create.call(ctx)).resolves.toBe(true);
		await expect(trigger.webhookMethods.default.delete.call(ctx)).resolves.toBe(true);
	});

	it.each([
		[{ events: ['conversationStarted'] }, '', 'No token is set'],
		[{ events: ['conversationStarted'] }, undefined, 'No token is set'],
		[{ events: ['conversationStarted'] }, 'short', 'The token has 5 characters; use at least 16'],
		[{ events: ['conversationStarted'] }, `${SECRET}&x=1`, "The token may only contain letters, digits and - _ . ! ~ * ' ( )"],
		[{ events: [] }, SECRET, 'No event is selected'],
	])('refuses to activate version 2 with %j and token %j', async (parameters, token, message) => {
		const ctx = hookContext(parameters, { token });
		const error = await trigger.webhookMethods.default.create.call(ctx).catch((e: unknown) => e as NodeOperationError);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe(message);
		if (message !== 'No event is selected') {
			// Says where the token lives and how to fix it.
			expect((error as NodeOperationError).description).toMatch(/Brevo Conversations Webhook API credential.*at least 16.*\?token=<token>/);
		}
	});

	it.each([
		[{ secret: '', events: ['conversationStarted'] }, 'No Secret is set'],
		[{ secret: 'short', events: ['conversationStarted'] }, 'The Secret has 5 characters; use at least 16'],
		[{ secret: SECRET, events: [] }, 'No event is selected'],
	])('version 1 still reads its Secret parameter: refuses %j', async (parameters, message) => {
		const ctx = hookContext(parameters, { typeVersion: 1 });
		await expect(trigger.webhookMethods.default.create.call(ctx)).rejects.toThrow(message);
	});

	it('checks the token when the credential is saved (its credential test)', async () => {
		const test = trigger.methods.credentialTest.webhookTokenTest;
		const run = (token: unknown) => test.call({} as never, { id: 'c', name: 'c', type: 'brevoConversationsWebhookApi', data: { token } } as never);
		await expect(run(SECRET)).resolves.toEqual({ status: 'OK', message: 'The token can protect the webhook URL' });
		await expect(run('short')).resolves.toEqual({ status: 'Error', message: 'The token has 5 characters; use at least 16' });
		await expect(run(undefined)).resolves.toEqual({ status: 'Error', message: 'No token is set' });
	});
});

describe('internalHostProblem (older n8n, without its SSRF egress filter): the address as written', () => {
	it.each(['127.0.0.1', '10.0.0.5', '172.20.1.1', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '[::1]', '::ffff:7f00:1', 'fd00::1', 'fe80::1', 'localhost', 'api.localhost', 'nas.local', 'metadata.google.internal', 'fileserver', 'localhost.', 'metadata.google.internal.', 'fileserver..', '[::7f00:1]', '::127.0.0.1', '[64:ff9b::a9fe:a9fe]', '64:ff9b::10.0.0.1', '64:ff9b:1::1', '[fec0::1]', '::ffff:127.0.0.1', '2002:7f00:1::', '[::]', '0:0:0:0:0:0:0:1', 'fe80::1%eth0', '1::2::3', 'zz::1'])(
		'refuses %s',
		(host) => expect(internalHostProblem(host)).toBeDefined(),
	);
	it.each(['files.brevo.com', 'files.brevo.com.', '93.184.216.34', '2606:4700::1111', '172.32.0.1', '64:ff9b::5db8:d822', '::ffff:93.184.216.34', '2002:5db8:d822::1'])(
		'allows %s',
		(host) => expect(internalHostProblem(host)).toBeUndefined(),
	);
});

describe('refusedConnection (older n8n): where the connection really led', () => {
	it.each([
		['::ffff:127.0.0.1', 'the name led to 127.0.0.1 is a private, loopback or link-local address'],
		['10.1.2.3', 'the name led to 10.1.2.3 is a private, loopback or link-local address'],
		['fd12::1', 'the name led to fd12::1 is a private, loopback or link-local address'],
		['93.184.216.34', undefined],
		['::ffff:93.184.216.34', undefined],
		[undefined, undefined],
	])('%s → %s', (address, reason) => expect(refusedConnection(address)).toBe(reason));
});
