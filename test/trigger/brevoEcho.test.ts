/**
 * Brevo posts every message of a conversation to the account's webhooks, the bot's own replies
 * included. The fake Brevo does the same when given a webhook URL (the `npm start` sandbox gives it the
 * trigger examples' URLs), so a bot's reply, its handover and the pause that follows can be played
 * locally. Here the real fake server echoes into the real trigger behind a real HTTP server
 * (webhookServer.ts), and the trigger's answers show what each echo did.
 */
import { createServer } from 'node:http';
import { conversationFragment, conversationStarted, CONVERSATION_ID, VISITOR_ID, visitorMessage } from '../fake-brevo/brevoEvents';
import { closeServer, listenLocally } from '../localServer';
import { FakeBrevo } from '../fake-brevo/server';
import { TriggerWebhookServer } from './webhookServer';

const TOKEN = 'Zq4uT9v1xW7yB2nM5kP8';
const API_KEY = 'echo-test-key';
const REPLY_LABEL = 'n8n-ai-agent';
const HANDOVER_LABEL = 'n8n-handover';

const trigger = new TriggerWebhookServer();
let brevo: FakeBrevo;

/** What the node sends: a message as an agent, or an automated one, through the fake's HTTP API. */
async function send(path: 'messages' | 'pushedMessages', body: Record<string, string>) {
	const response = await fetch(`${brevo.baseUrl}/conversations/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'api-key': API_KEY },
		body: JSON.stringify(body),
	});
	expect(response.status).toBe(200);
	const message = (await response.json()) as { id: string };
	await brevo.echoesSettled();
	return { message, echo: brevo.echoes.find((e) => e.messageId === message.id) };
}

const asAgent = (text: string, receivedFrom: string, visitorId = VISITOR_ID) => ({
	visitorId,
	text,
	agentEmail: 'ai-assistant@example.com',
	agentName: 'AI Assistant',
	receivedFrom,
});

beforeAll(async () => {
	const url = await trigger.start();
	brevo = new FakeBrevo({ apiKey: API_KEY, webhookUrl: `${url}?token=${TOKEN}` });
	await brevo.start();
	brevo.seedEvent(conversationStarted());
});
afterAll(async () => {
	await brevo.stop();
	await trigger.stop();
});
beforeEach(() => {
	trigger.configure(
		{
			events: ['conversationStarted', 'conversationFragment'],
			simplify: true,
			options: { ignoreReceivedFrom: REPLY_LABEL, handoverReceivedFrom: HANDOVER_LABEL, humanPauseMinutes: 30 },
		} as never,
		{ token: TOKEN },
	);
});

describe('the fake Brevo posts sent messages back to the trigger, as Brevo does', () => {
	it("echoes a reply as a Conversation Fragment of the visitor's conversation, which starts nothing", async () => {
		const started = await trigger.post(conversationStarted(visitorMessage('v1', 'Do you ship to Portugal?', 1)), { token: TOKEN });
		expect(started.body).toMatchObject({ message: 'Workflow was started' });

		const { message, echo } = await send('messages', asAgent('Yes, we ship to Portugal.', REPLY_LABEL));
		expect(echo).toMatchObject({ status: 200 });
		expect(JSON.parse(echo!.answer)).toMatchObject({ message: 'Only ignored messages (Received From)' });
		expect(trigger.started).toHaveLength(1);
		expect(brevo.conversationOf(VISITOR_ID).conversationId).toBe(CONVERSATION_ID);
		expect(brevo.messages.get(message.id)).toMatchObject({ type: 'agent', receivedFrom: REPLY_LABEL, isPushed: false });
	});

	it('echoes a handover, which pauses the conversation: the visitor\'s next message starts nothing', async () => {
		// The handover itself holds no visitor message, so it starts nothing; the trigger remembers the pause.
		const { echo } = await send('messages', asAgent('A colleague will take over here.', HANDOVER_LABEL));
		expect(JSON.parse(echo!.answer)).toMatchObject({ message: 'No visitor message in the event' });

		const before = trigger.started.length;
		const reply = await trigger.post(conversationFragment([visitorMessage('v2', 'Hello? Is anybody there?', 2)]), { token: TOKEN });
		expect(reply.body).toMatchObject({ message: 'Paused: a human agent is answering this conversation' });
		expect(trigger.started).toHaveLength(before);
	});

	it('echoes an automated message with isPushed, which starts nothing either', async () => {
		const { echo } = await send('pushedMessages', { visitorId: 'visitor-without-event', text: 'Your order shipped.' });
		expect(echo).toMatchObject({ status: 200 });
		expect(JSON.parse(echo!.answer)).toMatchObject({ message: 'No visitor message in the event' });
	});

	it('keeps one conversation per visitor it has no event for', async () => {
		await send('messages', asAgent('First', REPLY_LABEL, 'new-visitor'));
		const first = brevo.conversationOf('new-visitor').conversationId;
		await send('messages', asAgent('Second', REPLY_LABEL, 'new-visitor'));
		expect(brevo.conversationOf('new-visitor').conversationId).toBe(first);
		expect(first).not.toBe(CONVERSATION_ID);
	});

	it('echoes nothing without a webhook URL (the default, for tests that use the fake as an API only)', async () => {
		const quiet = new FakeBrevo({ apiKey: API_KEY });
		await quiet.start();
		try {
			const response = await fetch(`${quiet.baseUrl}/conversations/messages`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'api-key': API_KEY },
				body: JSON.stringify(asAgent('Hi', REPLY_LABEL)),
			});
			expect(response.status).toBe(200);
			await quiet.echoesSettled();
			expect(quiet.echoes).toEqual([]);
		} finally {
			await quiet.stop();
		}
	});

	it("agent message fields Brevo's webhook carries: type, text, agent, receivedFrom, isPushed", async () => {
		const seen: unknown[] = [];
		const recorder = createServer((req, res) => {
			let raw = '';
			req.on('data', (chunk) => (raw += chunk));
			req.on('end', () => {
				seen.push(JSON.parse(raw));
				res.end('{}');
			});
		});
		const url = `http://127.0.0.1:${await listenLocally(recorder)}/webhook`;
		const echoing = new FakeBrevo({ apiKey: API_KEY, webhookUrl: url });
		await echoing.start();
		try {
			echoing.seedEvent(conversationStarted());
			const response = await fetch(`${echoing.baseUrl}/conversations/messages`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'api-key': API_KEY },
				body: JSON.stringify(asAgent('Hi there', REPLY_LABEL)),
			});
			const message = (await response.json()) as { id: string; createdAt: number };
			await echoing.echoesSettled();
			expect(seen).toEqual([
				{
					eventName: 'conversationFragment',
					conversationId: CONVERSATION_ID,
					messages: [
						{
							id: message.id,
							createdAt: message.createdAt,
							type: 'agent',
							text: 'Hi there',
							html: 'Hi there',
							agentId: 'dummy-ai-assistant@example.com',
							agentName: 'AI Assistant',
							isPushed: false,
							isTrigger: false,
							isMissed: false,
							receivedFrom: REPLY_LABEL,
						},
					],
					agents: [{ id: 'dummy-ai-assistant@example.com', name: 'AI Assistant' }],
					visitor: conversationStarted().visitor,
				},
			]);
		} finally {
			await echoing.stop();
			await closeServer(recorder);
		}
	});
});
