/**
 * The trigger's real webhook() behind a real HTTP server, through n8n-core's WebhookContext
 * (see webhookServer.ts). Each test POSTs like Brevo and checks the HTTP answer and whether (and
 * with what) the workflow started. Version 2 (token in a credential) unless a test says otherwise;
 * visitor-only starts, all visitor messages and files have their own file (visitorMessages.test.ts).
 */
import {
	agentMessage,
	BOT_LABEL,
	conversationFragment,
	conversationStarted,
	conversationTranscript,
	CONVERSATION_ID,
	visitorMessage,
	VISITOR_ID,
} from '../fake-brevo/brevoEvents';
import { TriggerWebhookServer } from './webhookServer';

const SECRET = 'Zq4uT9v1xW7yB2nM5kP8';
const ALL_EVENTS = ['conversationStarted', 'conversationFragment', 'conversationTranscript'];

const server = new TriggerWebhookServer();

beforeAll(async () => {
	await server.start();
});
afterAll(async () => server.stop());

/** Version 2 with the credential's token (`null`: a credential without one). */
function configure(parameters: Record<string, unknown> = {}, token: string | null = SECRET) {
	server.configure({ events: ALL_EVENTS, simplify: false, ...parameters } as never, { token: token ?? undefined });
}

describe('token in the URL', () => {
	beforeEach(() => configure());

	it('answers 401 and starts nothing without a token', async () => {
		const reply = await server.post(conversationStarted());
		expect(reply.status).toBe(401);
		expect(reply.body).toEqual({ message: 'Missing token query parameter' });
		expect(server.started).toHaveLength(0);
	});

	it('answers 403 and starts nothing with a wrong token', async () => {
		const reply = await server.post(conversationStarted(), { token: `${SECRET}x` });
		expect(reply.status).toBe(403);
		expect(server.started).toHaveLength(0);
	});

	it.each([
		['a prefix of the secret', SECRET.slice(0, -1)],
		['the secret in another case', SECRET.toLowerCase()],
		['an empty token', ''],
	])('refuses %s', async (_name, token) => {
		const reply = await server.post(conversationStarted(), { query: `?token=${encodeURIComponent(token)}` });
		expect([401, 403]).toContain(reply.status);
		expect(server.started).toHaveLength(0);
	});

	// n8n parses the query with qs (extended): these arrive as a list or an object, never as the text.
	it.each([
		['a repeated token, both copies right', `?token=${SECRET}&token=${SECRET}`],
		['a repeated token, one copy right', `?token=${SECRET}&token=x`],
		['token[] (a list)', `?token[]=${SECRET}`],
		['token[0] (a list by index)', `?token[0]=${SECRET}`],
		['token[a] (an object)', `?token[a]=${SECRET}`],
		['token[a][b] (a nested object)', `?token[a][b]=${SECRET}`],
	])('answers 401 and starts nothing for %s', async (_name, query) => {
		const reply = await server.post(conversationStarted(), { query });
		expect(reply.status).toBe(401);
		expect(server.started).toHaveLength(0);
	});

	it('checks the token before the body: a wrong token with a malformed body is 403, not 400', async () => {
		const reply = await server.post(undefined, { token: 'nope', raw: '{not json' });
		expect(reply.status).toBe(403);
	});

	it('starts the workflow with the right token', async () => {
		const reply = await server.post(conversationStarted(), { token: SECRET });
		expect(reply).toEqual({ status: 200, body: { message: 'Workflow was started', eventName: 'conversationStarted' } });
		expect(server.started).toHaveLength(1);
	});

	it('answers 500 and starts nothing when the credential has no usable token, whatever the token sent', async () => {
		configure({}, '');
		expect((await server.post(conversationStarted(), { query: '?token=' })).status).toBe(500);
		expect((await server.post(conversationStarted(), { token: 'anything' })).status).toBe(500);
		configure({}, 'short');
		expect((await server.post(conversationStarted(), { token: 'short' })).status).toBe(500);
		configure({}, null);
		expect((await server.post(conversationStarted(), { token: 'anything' })).status).toBe(500);
		expect(server.started).toHaveLength(0);
	});

	it('reads the token from the credential on each call (a changed token takes effect at once)', async () => {
		const reads = server.credentialReads;
		await server.post(conversationStarted(), { token: SECRET });
		expect(server.credentialReads).toBe(reads + 1);
	});
});

describe('each event, as Brevo sent it (Simplify off)', () => {
	beforeEach(() => configure());

	it.each([
		['conversationStarted', conversationStarted()],
		['conversationFragment', conversationFragment([visitorMessage('m1', 'Hello?', 1), agentMessage('m2', 'Hi!', 2)])],
		['conversationTranscript', conversationTranscript([visitorMessage('m1', 'Hello?', 1), agentMessage('m2', 'Bye', 2)])],
	])('%s starts the workflow with the body unchanged', async (_name, body) => {
		const reply = await server.post(body, { token: SECRET });
		expect(reply.status).toBe(200);
		const items = server.lastItems();
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual(body);
	});

	it('passes through fields this node does not know', async () => {
		const body = { ...conversationStarted(), someNewBrevoField: { nested: [1, 2] } };
		await server.post(body, { token: SECRET });
		expect(server.lastItems()[0].json.someNewBrevoField).toEqual({ nested: [1, 2] });
	});
});

describe('event filter', () => {
	it.each(ALL_EVENTS)('acknowledges %s with 200 but starts nothing when it is not selected', async (eventName) => {
		configure({ events: ALL_EVENTS.filter((name) => name !== eventName) });
		const body = { ...conversationFragment([visitorMessage('m1', 'Hi', 1)]), eventName };
		const reply = await server.post(body, { token: SECRET });
		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({ message: 'Event not selected in the trigger', eventName });
		expect(server.started).toHaveLength(0);
	});

	it('acknowledges an event name Brevo may add later and starts nothing', async () => {
		configure();
		const reply = await server.post({ eventName: 'conversationRated', conversationId: CONVERSATION_ID }, { token: SECRET });
		expect(reply.status).toBe(200);
		expect(server.started).toHaveLength(0);
	});

	it('starts only for the selected event', async () => {
		configure({ events: ['conversationFragment'] });
		await server.post(conversationStarted(), { token: SECRET });
		await server.post(conversationFragment([visitorMessage('m1', 'Hi', 1)]), { token: SECRET });
		expect(server.started).toHaveLength(1);
		expect(server.lastItems()[0].json.eventName).toBe('conversationFragment');
	});
});

describe('malformed bodies', () => {
	beforeEach(() => configure());

	it.each([
		['a JSON array', JSON.stringify([conversationStarted()]), 'application/json'],
		['a JSON string', JSON.stringify('conversationStarted'), 'application/json'],
		['JSON null', 'null', 'application/json'],
		['an object without eventName', JSON.stringify({ conversationId: CONVERSATION_ID }), 'application/json'],
		['an eventName that is not a string', JSON.stringify({ eventName: 42 }), 'application/json'],
		['an empty eventName', JSON.stringify({ eventName: '  ' }), 'application/json'],
		['broken JSON', '{"eventName": "conversationStarted"', 'application/json'],
		['plain text', 'eventName=conversationStarted', 'text/plain'],
		['an empty body', '', 'application/json'],
	])('answers 400 to %s and starts nothing', async (_name, raw, contentType) => {
		const reply = await server.post(undefined, { token: SECRET, raw, contentType });
		expect(reply.status).toBe(400);
		expect(reply.body).toEqual({ message: expect.stringContaining('eventName') });
		expect(server.started).toHaveLength(0);
	});
});

describe('echo filter (Ignore Messages Received From), on its own: Start On "Any New Message"', () => {
	beforeEach(() => configure({ options: { ignoreReceivedFrom: BOT_LABEL, startOn: 'anyMessage' } }));

	const echo = (id: string, createdAt: number) => agentMessage(id, 'Our bot speaking', createdAt, { receivedFrom: BOT_LABEL });

	it('ignores a conversation our bot started', async () => {
		const reply = await server.post(conversationStarted(echo('e1', 1)), { token: SECRET });
		expect(reply.status).toBe(200);
		expect(reply.body).toEqual(expect.objectContaining({ message: 'Only ignored messages (Received From)' }));
		expect(server.started).toHaveLength(0);
	});

	it('still starts for a conversation a visitor started', async () => {
		await server.post(conversationStarted(), { token: SECRET });
		expect(server.started).toHaveLength(1);
	});

	it('ignores a fragment made only of our own messages', async () => {
		await server.post(conversationFragment([echo('e1', 1), echo('e2', 2)]), { token: SECRET });
		expect(server.started).toHaveLength(0);
	});

	it('removes our messages from a mixed fragment and keeps the others in order', async () => {
		const body = conversationFragment([visitorMessage('v1', 'Hi', 1), echo('e1', 2), visitorMessage('v2', 'Hello?', 3)]);
		await server.post(body, { token: SECRET });
		const json = server.lastItems()[0].json;
		expect((json.messages as Array<{ id: string }>).map((m) => m.id)).toEqual(['v1', 'v2']);
		expect(json.visitor).toEqual(body.visitor);
	});

	it('keeps messages of other senders, including other receivedFrom labels', async () => {
		const other = agentMessage('o1', 'From the CRM', 1, { receivedFrom: 'crm-sync' });
		await server.post(conversationFragment([other]), { token: SECRET });
		expect(server.lastItems()[0].json.messages).toEqual([other]);
	});

	it('passes a transcript through whole, our messages included', async () => {
		const body = conversationTranscript([visitorMessage('v1', 'Hi', 1), echo('e1', 2)]);
		await server.post(body, { token: SECRET });
		expect(server.lastItems()[0].json).toEqual(body);
	});

	it('accepts several labels, comma-separated', async () => {
		configure({ options: { ignoreReceivedFrom: ` crm-sync , ${BOT_LABEL} `, startOn: 'anyMessage' } });
		const other = agentMessage('o1', 'From the CRM', 1, { receivedFrom: 'crm-sync' });
		await server.post(conversationFragment([other, echo('e1', 2)]), { token: SECRET });
		expect(server.started).toHaveLength(0);
	});

	it('ignores nothing when the option is empty', async () => {
		configure({ options: { ignoreReceivedFrom: '', startOn: 'anyMessage' } });
		await server.post(conversationFragment([echo('e1', 1)]), { token: SECRET });
		expect(server.started).toHaveLength(1);
	});
});

describe('Simplify (the default)', () => {
	beforeEach(() => {
		server.configure({ events: ALL_EVENTS, options: { ignoreReceivedFrom: BOT_LABEL } }, { token: SECRET });
	});

	it('gives a conversationStarted in the fields a reply workflow maps', async () => {
		await server.post(conversationStarted(), { token: SECRET });
		expect(server.lastItems()[0].json).toEqual({
			eventName: 'conversationStarted',
			conversationId: CONVERSATION_ID,
			visitorId: VISITOR_ID,
			visitorName: 'Cyan Fox',
			visitorEmail: 'cyan.fox@example.com',
			messageText: 'Hi, where is my order?',
			messageId: 'dkmyYPxJyh5rKDhRT',
			visitorMessages: [{ id: 'dkmyYPxJyh5rKDhRT', text: 'Hi, where is my order?', createdAt: 1665578322700 }],
			visitorText: 'Hi, where is my order?',
			language: 'en-GB',
			channel: 'widget',
			startPageUrl: 'https://shop.example.com/orders',
			startPageTitle: 'My orders',
			noAgentOnline: false,
		});
	});

	it('gives the newest visitor message of a fragment and the answering agent', async () => {
		const body = conversationFragment([
			visitorMessage('v2', 'Second question', 300),
			visitorMessage('v1', 'First question', 100),
			agentMessage('a1', 'Looking', 200, { agentId: 'agentB', agentName: 'Bob' }),
			agentMessage('e1', 'bot', 400, { receivedFrom: BOT_LABEL }),
		]);
		await server.post(body, { token: SECRET });
		expect(server.lastItems()[0].json).toEqual({
			eventName: 'conversationFragment',
			conversationId: CONVERSATION_ID,
			visitorId: VISITOR_ID,
			visitorName: 'Cyan Fox',
			visitorEmail: 'cyan.fox@example.com',
			messageText: 'Second question',
			messageId: 'v2',
			visitorMessages: [
				{ id: 'v1', text: 'First question', createdAt: 100 },
				{ id: 'v2', text: 'Second question', createdAt: 300 },
			],
			visitorText: 'First question\nSecond question',
			language: 'en-GB',
			channel: 'widget',
			agentId: 'agentB',
			agentName: 'Bob',
		});
	});

	it('simplifies a transcript too', async () => {
		await server.post(conversationTranscript([visitorMessage('v1', 'Thanks, bye', 5)]), { token: SECRET });
		const json = server.lastItems()[0].json;
		expect(json).toMatchObject({ eventName: 'conversationTranscript', visitorId: VISITOR_ID, messageText: 'Thanks, bye', agentId: 'bnRzp4CioKudG4aHm' });
	});
});
