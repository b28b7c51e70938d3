/**
 * Input nobody designed for, from a caller with the right token: nulls where Brevo sends objects,
 * wrong types, infinite numbers. Brevo drops a delivery answered with an error, and n8n answers
 * 500 ("Workflow could not be started!") when webhook() throws, so each case must get a 2xx or a
 * 4xx with a reason; the harness answers 500 only when webhook() throws (webhookServer.ts).
 */
import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import { agentMessage, conversationFragment, conversationStarted, conversationTranscript, visitorMessage } from '../fake-brevo/brevoEvents';
import { TriggerWebhookServer } from './webhookServer';

const TOKEN = 'Zq4uT9v1xW7yB2nM5kP8';
const EVENTS = ['conversationStarted', 'conversationFragment', 'conversationTranscript'];
const server = new TriggerWebhookServer();

beforeAll(async () => {
	await server.start();
});
afterAll(async () => server.stop());
afterEach(() => jest.restoreAllMocks());

const configure = (options: Record<string, unknown> = {}, simplify = true) =>
	server.configure({ events: EVENTS, simplify, options: { ignoreReceivedFrom: 'n8n-bot', ...options } } as never, { token: TOKEN });

const visitor = (id: string) => visitorMessage(id, 'Hi', Date.now());
const human = agentMessage('a1', 'Julia here', Date.now());

/** Bodies with the odd part, and whether a visitor message in them should start the workflow */
const ODD_BODIES: Array<[string, unknown, boolean]> = [
	['a null inside messages[]', conversationFragment([null, visitor('v1')] as never), true],
	['only nulls in messages[]', conversationFragment([null, null] as never), false],
	['numbers, strings, lists and booleans in messages[]', conversationFragment([1, 'x', [], true, visitor('v2')] as never), true],
	['nulls and strings in agents[] next to a human message', { ...conversationFragment([human, visitor('v3')]), agents: [null, 'Julia', 7] }, false],
	['messages that is an object', { ...conversationFragment([]), messages: { 0: visitor('v4') } }, false],
	['messages that is a string', { ...conversationFragment([]), messages: 'Hi' }, false],
	['a null message in Conversation Started', { ...conversationStarted(), message: null }, false],
	['a string message in Conversation Started', { ...conversationStarted(), message: 'Hi' }, false],
	['a visitor that is a string', { ...conversationFragment([visitor('v5')]), visitor: 'Cyan Fox' }, true],
	['a conversationId that is an object', { ...conversationFragment([visitor('v6')]), conversationId: { id: 'x' } }, true],
	['a conversationId that is a list', { ...conversationFragment([visitor('v7')]), conversationId: ['x', 'y'] }, true],
	['a conversationId that is a boolean', { ...conversationFragment([visitor('v8')]), conversationId: true }, true],
	['a message ID that is an object', conversationFragment([{ ...visitor('x'), id: { $oid: 'v9' } }]), true],
	['a message ID that is a fraction', conversationFragment([{ ...visitor('x'), id: 1.5 }]), true],
	['createdAt as text', conversationFragment([{ ...visitor('v10'), createdAt: 'yesterday' }]), true],
	['a human message dated in the year 275760', conversationFragment([{ ...human, createdAt: 8.64e15 }, visitor('v11')]), false],
	['a text that is an object and a file that is a string', conversationFragment([{ ...visitor('v12'), text: { html: '<b>' }, file: 'x.png' }]), true],
	['attachments with nulls and strings', conversationFragment([{ ...visitor('v13'), attachments: [null, 'a.png', { link: 7 }] }]), true],
	['a transcript with null messages', { ...conversationTranscript(), messages: [null] }, true],
	['a __proto__ key in the event', JSON.parse(`{"eventName":"conversationFragment","conversationId":"p","__proto__":{"polluted":1},"messages":[${JSON.stringify(visitor('v14'))}]}`), true],
];

describe('odd payloads answer 2xx or 4xx, never 5xx', () => {
	it.each(ODD_BODIES)('%s', async (_name, body, starts) => {
		for (const simplify of [true, false]) {
			configure({ downloadFiles: true }, simplify);
			const reply = await server.post(body, { token: TOKEN });
			expect(reply.status).toBe(200);
			expect(server.started).toHaveLength(starts ? 1 : 0);
		}
		expect(({} as { polluted?: number }).polluted).toBeUndefined();
	});

	it.each([
		['a JSON list', '[]'],
		['JSON null', 'null'],
		['a JSON string', '"conversationFragment"'],
		['a JSON number', '1e309'],
		['an event name that is a number', '{"eventName":7}'],
		['an event name that is blank', '{"eventName":"  "}'],
	])('%s is refused with 400 and a reason', async (_name, raw) => {
		configure();
		const reply = await server.post(undefined, { token: TOKEN, raw });
		expect(reply).toEqual({ status: 400, body: { message: 'Expected a JSON object with an eventName, as Brevo Conversations sends' } });
	});

	it('createdAt of 1e309 (Infinity once parsed) and -1e309: each answered, the second a start', async () => {
		configure();
		const infinite = (createdAt: string, id: string) =>
			`{"eventName":"conversationFragment","conversationId":"inf","messages":[{"id":"a${id}","type":"agent","text":"x","createdAt":${createdAt}},{"id":"${id}","type":"visitor","text":"Hi","createdAt":${createdAt}}]}`;
		expect((await server.post(undefined, { token: TOKEN, raw: infinite('1e309', 'i1') })).status).toBe(200); // a human turn now: paused
		configure();
		expect((await server.post(undefined, { token: TOKEN, raw: infinite('-1e309', 'i2') })).status).toBe(200); // a human turn long ago: no pause
		expect(server.started).toHaveLength(1);
	});

	it('a failure no rule foresaw answers 400 with a reason and logs the error, without the visitor\'s words', async () => {
		configure();
		const logger = Container.get(Logger);
		const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
		await server.post(conversationFragment([human]), { token: TOKEN });
		// The failure of the old Human Agent Pause bound: a time toISOString cannot write.
		jest.spyOn(Date.prototype, 'toISOString').mockImplementation(() => {
			throw new RangeError('Invalid time value');
		});
		const reply = await server.post(conversationFragment([visitorMessage('v1', 'My card number is 4111…', Date.now())]), { token: TOKEN });
		expect(reply).toEqual({ status: 400, body: { message: "The Brevo Conversations Trigger could not handle this event; n8n's log says why" } });
		expect(error).toHaveBeenCalledWith('Brevo Conversations Trigger could not handle an event', expect.objectContaining({ error: 'Invalid time value' }));
		expect(JSON.stringify(error.mock.calls)).not.toContain('4111');
	});
});
