/**
 * What the trigger remembers between two webhook calls (version 2, Start On: Visitor Messages
 * Only): each visitor message starts the workflow once, a human agent pauses the bot, a transcript
 * ends the pause. Through the real webhook() behind n8n-core's WebhookContext, with workflow static
 * data loaded and saved per call as n8n does it (webhookServer.ts) and a clock the test sets.
 */
import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import {
	automatedMessage,
	CONVERSATION_ID,
	BOT_LABEL,
	conversationFragment,
	conversationStarted,
	conversationTranscript,
} from '../fake-brevo/brevoEvents';
import {
	decodeStates,
	encodeStates,
	FORGET_AFTER_MS,
	forgetOld,
	holdsMoreThan,
	MAX_CONVERSATIONS,
	MAX_DELIVERED_PER_CONVERSATION,
	mergeInto,
	REFRESH_AFTER_MS,
	type ConversationStates,
} from '../../nodes/BrevoConversationsTrigger/helpers/conversationMemory';
import { MINUTE, T0, TOKEN, useMemoryHarness } from './memoryHarness';

const { server, clock, configure, post, visitor, human, ownReply, handover, storedRaw, stored } = useMemoryHarness();

describe('each visitor message starts the workflow once', () => {
	it('the first message in Conversation Started, then again in the first fragment: one start', async () => {
		expect(await post(conversationStarted(visitor('v1', 'Hi')))).toMatchObject({ message: 'Workflow was started' });
		expect(await post(conversationFragment([visitor('v1', 'Hi')]))).toMatchObject({
			message: 'Every visitor message of the event already started the workflow',
		});
		expect(server.started).toHaveLength(1);
	});

	it('a re-delivered fragment starts nothing, hours later too', async () => {
		await post(conversationFragment([visitor('v1', 'Hi'), visitor('v2', 'Anyone?')]));
		clock.now += 8 * 60 * MINUTE; // Brevo's last retry
		await post(conversationFragment([visitor('v1', 'Hi'), visitor('v2', 'Anyone?')]));
		expect(server.started).toHaveLength(1);
	});

	it('a fragment with old and new messages starts once, with only the new ones on the item', async () => {
		await post(conversationFragment([visitor('v1', 'Do you ship to Portugal?', 2)]));
		await post(conversationFragment([visitor('v1', 'Do you ship to Portugal?', 2), visitor('v2', 'And to Spain?', 1), visitor('v3', 'Thanks', 0)]));
		expect(server.started).toHaveLength(2);
		const [item] = server.lastItems();
		expect(item.json).toMatchObject({ messageId: 'v3', messageText: 'Thanks', visitorText: 'And to Spain?\nThanks' });
		expect((item.json.visitorMessages as Array<{ id: string }>).map((m) => m.id)).toEqual(['v2', 'v3']);
	});

	it('holds across an n8n restart: only the saved static data is left', async () => {
		await post(conversationStarted(visitor('v1', 'Hi')));
		server.restart();
		await post(conversationFragment([visitor('v1', 'Hi')]));
		expect(server.started).toHaveLength(1);
		await post(conversationFragment([visitor('v2', 'Hello?')]));
		expect(server.started).toHaveLength(2);
	});

	it('the same message delivered twice at the same moment starts once (overlapping calls)', async () => {
		const body = conversationFragment([visitor('v1', 'Hi')]);
		await Promise.all([post(body), post(body), post(body)]);
		expect(server.started).toHaveLength(1);
	});

	it('50 conversations, each message delivered twice, 8 calls in flight: every message starts exactly once', async () => {
		const deliveries = Array.from({ length: 50 }, (_, i) => ({ ...conversationFragment([visitor(`m${i}`, `Question ${i}`)]), conversationId: `conv${i}` }));
		const queue = [...deliveries, ...deliveries];
		await Promise.all(
			Array.from({ length: 8 }, async () => {
				for (let body = queue.shift(); body; body = queue.shift()) await post(body);
			}),
		);
		const startedIds = server.started.map((run) => run[0][0].json.messageId);
		expect(startedIds).toHaveLength(50);
		expect(new Set(startedIds).size).toBe(50);
		// The merge with this process's copy heals what n8n's whole-object saves dropped.
		expect([...stored().keys()]).toHaveLength(50);
	});

	it('a message without an ID cannot be recognised: it always starts', async () => {
		const noId = { ...visitor('x', 'Hi'), id: undefined };
		await post(conversationFragment([noId]));
		await post(conversationFragment([noId]));
		expect(server.started).toHaveLength(2);
	});
});

describe('the bot steps back while a human agent answers', () => {
	it('a human agent\'s message pauses the conversation: the visitor\'s next message starts nothing', async () => {
		await post(conversationFragment([visitor('v1', 'Is my order late?', 3)]));
		await post(conversationFragment([human('a1', 2)]));
		const reply = await post(conversationFragment([visitor('v2', 'Thanks Julia', 1)]));
		expect(reply).toMatchObject({ message: 'Paused: a human agent is answering this conversation', pausedUntil: new Date(T0 + 28 * MINUTE).toISOString() });
		expect(server.started).toHaveLength(1);
	});

	it('a fragment with a human agent\'s and a visitor\'s message starts nothing', async () => {
		await post(conversationFragment([human('a1'), visitor('v1', 'OK')]));
		expect(server.started).toHaveLength(0);
	});

	it('the workflow\'s own replies, automated messages and bots do not pause', async () => {
		await post(conversationFragment([ownReply('r1'), automatedMessage('p1', 'Shipped', clock.now)]));
		await post(conversationFragment([visitor('v1', 'When will it arrive?')]));
		expect(server.started).toHaveLength(1);
	});

	it('a handover message of the workflow (its Handover Received From label) pauses like a human', async () => {
		await post(conversationFragment([handover('h1')]));
		await post(conversationFragment([visitor('v1', 'Hello?')]));
		expect(server.started).toHaveLength(0);
	});

	it('the pause ends its length after the human\'s last message; messages written during it never start the bot', async () => {
		await post(conversationFragment([human('a1')]));
		clock.now += 10 * MINUTE;
		await post(conversationFragment([human('a2')])); // the pause now runs to T0 + 40 min
		clock.now = T0 + 39 * MINUTE;
		await post(conversationFragment([visitor('v1', 'Still there?')]));
		expect(server.started).toHaveLength(0);
		clock.now = T0 + 41 * MINUTE;
		await post(conversationFragment([visitor('v1', 'Still there?'), visitor('v2', 'Hello bot')]));
		expect(server.started).toHaveLength(1);
		expect(server.lastItems()[0].json).toMatchObject({ visitorText: 'Hello bot' });
	});

	it('a late delivery of an old human message does not pause again', async () => {
		await post(conversationFragment([human('a1', 45)]));
		await post(conversationFragment([visitor('v1', 'Hi')]));
		expect(server.started).toHaveLength(1);
	});

	it('the transcript ends the pause; the conversation\'s message IDs stay until they expire', async () => {
		await post(conversationFragment([visitor('v1', 'Hi', 1)]));
		await post(conversationFragment([human('a1')]));
		expect(stored().get(CONVERSATION_ID)?.pausedUntil).toBe(T0 + 30 * MINUTE);
		await post(conversationTranscript([human('a1')]));
		expect(stored().get(CONVERSATION_ID)).toEqual({ delivered: ['v1'], lastEventAt: T0, clearedAt: T0 });
		await post(conversationFragment([visitor('v1', 'Hi', 1)])); // a late re-delivery
		expect(server.started).toHaveLength(2);
		await post(conversationFragment([visitor('v9', 'One more question')]));
		expect(server.started.map((run) => run[0][0].json.eventName)).toEqual(['conversationFragment', 'conversationTranscript', 'conversationFragment']);
	});

	it('a transcript not selected in the trigger still ends the pause', async () => {
		configure();
		server.configure({ events: ['conversationFragment'], options: { ignoreReceivedFrom: BOT_LABEL } } as never, { token: TOKEN });
		await post(conversationFragment([human('a1')]));
		expect(await post(conversationTranscript([human('a1')]))).toMatchObject({ message: 'Event not selected in the trigger' });
		await post(conversationFragment([visitor('v1', 'Hi')]));
		expect(server.started).toHaveLength(1);
	});

	it('Human Agent Pause 0 never pauses', async () => {
		configure({ humanPauseMinutes: 0 });
		await post(conversationFragment([human('a1')]));
		await post(conversationFragment([visitor('v1', 'Hi')]));
		expect(server.started).toHaveLength(1);
	});

	it('Start On: Any New Message is unchanged: no pause, no memory', async () => {
		configure({ startOn: 'anyMessage' });
		await post(conversationFragment([human('a1')]));
		await post(conversationFragment([visitor('v1', 'Hi')]));
		await post(conversationFragment([visitor('v1', 'Hi')]));
		expect(server.started).toHaveLength(3);
		expect(server.staticDataSaves).toBe(0);
	});

	it('says why in n8n\'s log, with the conversation and never the token', async () => {
		const logger = Container.get(Logger);
		const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
		const debug = jest.spyOn(logger, 'debug').mockImplementation(() => undefined);
		await post(conversationFragment([human('a1')]));
		await post(conversationFragment([visitor('v1', 'Hi')]));
		await post(conversationFragment([ownReply('r1')]));
		expect(info).toHaveBeenCalledWith(
			`Brevo Conversations Trigger started nothing (conversation ${CONVERSATION_ID}): Paused: a human agent is answering this conversation`,
			expect.objectContaining({ conversationId: CONVERSATION_ID, reason: 'pausedForHuman' }),
		);
		expect(debug).toHaveBeenCalledWith(
			`Brevo Conversations Trigger started nothing (conversation ${CONVERSATION_ID}): Only ignored messages (Received From)`,
			expect.objectContaining({ conversationId: CONVERSATION_ID, reason: 'onlyIgnored' }),
		);
		expect(JSON.stringify([...info.mock.calls, ...debug.mock.calls])).not.toContain(TOKEN);
	});
});

describe('the state stays small', () => {
	it('1,000 active conversations take about 100 bytes each, stored as one string (printed for the README)', async () => {
		const states: ConversationStates = new Map();
		for (let i = 0; i < 1000; i++) {
			states.set(`MxhGJAEugdLtS${String(i).padStart(4, '0')}`, {
				delivered: ['dkmyYPxJyh5rKDhRT', 'eYBEm3gq3zc5ayE2g', 'kZMvWhf8npAu3H6qd'],
				lastEventAt: T0,
				pausedUntil: T0 + 30 * MINUTE,
			});
		}
		const encoded = encodeStates(states);
		expect(decodeStates(encoded, T0)).toEqual(states);
		const bytes = JSON.stringify({ conversations: encoded }).length;
		process.stderr.write(`[static data] 1,000 conversations with 3 messages each: ${bytes} bytes\n`);
		expect(bytes).toBeLessThan(110_000);
	});

	it('n8n holds one string, not an object per conversation (n8n walks and wraps every object on each call)', async () => {
		await post(conversationFragment([visitor('v1', 'Hi')]));
		expect(typeof storedRaw()).toBe('string');
		expect(decodeStates('not json', T0)).toEqual(new Map());
		expect(decodeStates({ c: { delivered: [], lastEventAt: 1 } }, T0)).toEqual(new Map());
		expect([...decodeStates('ok 1 0 m;bad x 0;bad2 1;bad3 1 0 %zz;% 1 0;', T0).keys()]).toEqual(['ok']);
		const odd: ConversationStates = new Map([['c; "1"\\%', { delivered: ['a b', 'x;y', 'ü\n', '%41'], lastEventAt: 1, pausedUntil: 2 }]]);
		expect(encodeStates(odd)).toBe('c%3b%20%221%22%5c%25 1 2 a%20b x%3by ü%0a %2541;');
		expect(decodeStates(encodeStates(odd), T0)).toEqual(odd);
	});

	it.each([5, 40])('forgets a conversation 24 h after its last event, keeps at most MAX_CONVERSATIONS (oldest dropped; %i over)', (over) => {
		const states: ConversationStates = new Map();
		// Inserted newest first, so that the oldest are not simply the first keys
		for (let i = MAX_CONVERSATIONS + over - 1; i >= 0; i--) states.set(`c${i}`, { delivered: [], lastEventAt: T0 + i });
		states.set('old', { delivered: [], lastEventAt: T0 - FORGET_AFTER_MS });
		forgetOld(states, T0 + MAX_CONVERSATIONS + over);
		expect(states.size).toBe(MAX_CONVERSATIONS);
		expect(states.has('old')).toBe(false);
		for (let i = 0; i < over; i++) expect(states.has(`c${i}`)).toBe(false);
		expect(states.has(`c${over}`)).toBe(true);
		expect(states.has(`c${MAX_CONVERSATIONS + over - 1}`)).toBe(true);
	});

	it('keeps the newest message IDs of a conversation only', async () => {
		for (let i = 0; i < MAX_DELIVERED_PER_CONVERSATION + 3; i++) await post(conversationFragment([visitor(`v${i}`, 'x')]));
		const { delivered } = stored().get(CONVERSATION_ID)!;
		expect(delivered).toHaveLength(MAX_DELIVERED_PER_CONVERSATION);
		expect(delivered[delivered.length - 1]).toBe(`v${MAX_DELIVERED_PER_CONVERSATION + 2}`);
	});

	it('a conversation quiet for 24 h is dropped from the static data at the next save', async () => {
		await post({ ...conversationFragment([visitor('v1', 'Hi')]), conversationId: 'quiet' });
		clock.now += FORGET_AFTER_MS;
		server.restart();
		await post(conversationFragment([visitor('v2', 'Hi')]));
		expect([...stored().keys()]).toEqual([CONVERSATION_ID]);
	});

	it('merging two copies unites their messages and keeps the later pause; the result holds more than the stored one', () => {
		const states: ConversationStates = new Map([['c', { delivered: ['a', 'b'], lastEventAt: 1, pausedUntil: 5 }]]);
		const loaded: ConversationStates = new Map([
			['c', { delivered: ['b', 'c'], lastEventAt: 2 }],
			['d', { delivered: ['x'], lastEventAt: 3 }],
		]);
		mergeInto(states, loaded);
		expect(states).toEqual(
			new Map([
				['c', { delivered: ['a', 'b', 'c'], lastEventAt: 2, pausedUntil: 5 }],
				['d', { delivered: ['x'], lastEventAt: 3 }],
			]),
		);
		expect(holdsMoreThan(states, loaded)).toBe(true);
		expect(holdsMoreThan(loaded, new Map(loaded))).toBe(false);
	});
});

describe('what is saved, and when (n8n writes the whole static data on every save)', () => {
	it('a re-delivery within the hour saves nothing; one later refreshes the event time', async () => {
		await post(conversationFragment([visitor('v1', 'Hi')]));
		expect(server.staticDataSaves).toBe(1);
		clock.now += 10 * MINUTE;
		await post(conversationFragment([visitor('v1', 'Hi')]));
		await post(conversationFragment([ownReply('r1')]));
		expect(server.staticDataSaves).toBe(1);
		clock.now = T0 + REFRESH_AFTER_MS;
		await post(conversationFragment([visitor('v1', 'Hi')]));
		expect(server.staticDataSaves).toBe(2);
		expect(stored().get(CONVERSATION_ID)?.lastEventAt).toBe(T0 + REFRESH_AFTER_MS);
	});

	it('a call that starts the workflow is saved before it starts (the node answers Brevo itself), even where n8n 2.41.1 would not save it', async () => {
		server.startingCallsNotSaved = true;
		await post(conversationStarted(visitor('v1', 'Hi')));
		expect(server.started).toHaveLength(1);
		expect(server.staticDataSaves).toBe(1);
		expect(stored().get(CONVERSATION_ID)?.delivered).toEqual(['v1']);
		server.restart(); // no other call in between
		await post(conversationFragment([visitor('v1', 'Hi')]));
		expect(server.started).toHaveLength(1);
	});

	it('a pause is saved at once, and a forgotten conversation only when it was remembered', async () => {
		await post(conversationFragment([human('a1')]));
		expect(server.staticDataSaves).toBe(1);
		await post({ ...conversationTranscript([visitor('v1', 'Hi')]), conversationId: 'never-seen' });
		expect(server.staticDataSaves).toBe(1);
		await post(conversationTranscript([human('a1')]));
		expect(server.staticDataSaves).toBe(2);
	});
});
