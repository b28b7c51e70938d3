/**
 * The trigger's memory as production n8n meets it: restarts right after a call, a second webhook
 * process on the same database, stale copies, floods of new conversations, IDs and times from
 * any caller with the token. Each case here failed before the trigger answered Brevo itself and
 * before the memory's merge, bounds and eviction rules (issue: "the trigger keeps its promises in
 * production"). Through the real webhook() (memoryHarness.ts).
 */
import { agentMessage, CONVERSATION_ID, conversationFragment, conversationStarted, conversationTranscript } from '../fake-brevo/brevoEvents';
import {
	decodeStates,
	encodeStates,
	FORGET_AFTER_MS,
	MAX_CONVERSATIONS,
	MAX_DELIVERED_PER_CONVERSATION,
	MAX_ID_LENGTH,
	MAX_PAUSE_MS,
	MAX_STORED_LENGTH,
	mergeInto,
	type ConversationStates,
} from '../../nodes/BrevoConversationsTrigger/helpers/conversationMemory';
import { MINUTE, T0, useMemoryHarness } from './memoryHarness';

const { server, clock, configure, post, visitor, human, stored, storedRaw } = useMemoryHarness();

const fragmentIn = (conversationId: string, messages: object[]) => ({ ...conversationFragment(messages), conversationId });
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `m${from + i}`);

describe('a restart right after a call (n8n 2.41.1 does not save a starting call that n8n answers)', () => {
	beforeEach(() => {
		server.startingCallsNotSaved = true;
	});

	it('a message, a restart, the same event again: no second start', async () => {
		await post(conversationStarted(visitor('v1', 'Hi')));
		server.restart();
		await post(conversationFragment([visitor('v1', 'Hi')]));
		await post(conversationStarted(visitor('v1', 'Hi')));
		expect(server.started).toHaveLength(1);
	});

	it('a human agent\'s pause, a restart: still paused', async () => {
		await post(conversationFragment([visitor('v1', 'Where is my parcel?', 1)]));
		await post(conversationFragment([human('a1')]));
		server.restart();
		expect(await post(conversationFragment([visitor('v2', 'Thanks Julia')]))).toMatchObject({ pausedUntil: new Date(T0 + 30 * MINUTE).toISOString() });
		expect(server.started).toHaveLength(1);
	});
});

describe('two webhook processes on one database (each n8n 2.41.1)', () => {
	beforeEach(() => {
		server.startingCallsNotSaved = true;
	});

	it('a message started through A, the same event later through B: no second start', async () => {
		await post(conversationStarted(visitor('v1', 'Hi')));
		server.useProcess('B');
		await post(conversationFragment([visitor('v1', 'Hi')]));
		expect(server.started).toHaveLength(1);
	});

	it('a transcript through A ends a pause that B had seen: B\'s copy does not bring the pause back', async () => {
		await post(conversationFragment([human('a1')])); // A: paused
		server.useProcess('B');
		expect(await post(conversationFragment([visitor('v1', 'Hello?')]))).toMatchObject({ message: 'Paused: a human agent is answering this conversation' });
		server.useProcess('A');
		clock.now += MINUTE;
		await post(conversationTranscript([human('a1')]));
		server.useProcess('B'); // B's own copy still holds the pause; the stored value says it ended
		clock.now += MINUTE;
		await post(conversationFragment([visitor('v2', 'One more question')]));
		expect(server.started.map((run) => run[0][0].json.eventName)).toEqual(['conversationTranscript', 'conversationFragment']);
		expect(stored().get(CONVERSATION_ID)?.pausedUntil).toBeUndefined();
		server.useProcess('A');
		await post(fragmentIn('other', [visitor('o1', 'Hi')])); // A merges what B saved
		expect(stored().get(CONVERSATION_ID)?.pausedUntil).toBeUndefined();
	});

	it('a human agent who writes after the transcript pauses again, in both processes', async () => {
		await post(conversationTranscript([visitor('v0', 'Hi')]));
		await post(conversationFragment([visitor('v1', 'Back again', 2)]));
		clock.now += MINUTE;
		await post(conversationFragment([human('a2')]));
		server.useProcess('B');
		expect(await post(conversationFragment([visitor('v2', 'OK')]))).toMatchObject({ message: 'Paused: a human agent is answering this conversation' });
	});
});

describe('merging copies keeps the newest message IDs', () => {
	it('a stale copy merged into a newer one: the cap drops the oldest IDs, not the newest', () => {
		const newer: ConversationStates = new Map([['c', { delivered: ids(10, 60), lastEventAt: 2 }]]);
		const stale: ConversationStates = new Map([['c', { delivered: ids(0, 50), lastEventAt: 1 }]]);
		mergeInto(newer, stale);
		expect(newer.get('c')?.delivered).toEqual(ids(10, 60));
		const older: ConversationStates = new Map([['c', { delivered: ids(0, 50), lastEventAt: 1 }]]);
		mergeInto(older, new Map([['c', { delivered: ids(10, 60), lastEventAt: 2 }]]));
		expect(older.get('c')?.delivered).toEqual(ids(10, 60));
	});

	it('through two processes: a re-delivered recent message is still recognised', async () => {
		for (const id of ids(0, 40)) await post(conversationFragment([visitor(id, 'x')]));
		server.useProcess('B'); // B loads m0…m39
		server.useProcess('A');
		clock.now += MINUTE;
		for (const id of ids(40, 60)) await post(conversationFragment([visitor(id, 'x')]));
		server.useProcess('B'); // B merges A's newer copy into its older one
		clock.now += MINUTE;
		await post(conversationFragment([visitor('m45', 'x')]));
		expect(server.started).toHaveLength(60);
		expect(stored().get(CONVERSATION_ID)?.delivered).toEqual(ids(60 - MAX_DELIVERED_PER_CONVERSATION, 60));
	});
});

describe('bounds on everything read from outside', () => {
	it('Human Agent Pause of 1e12 minutes (an expression): paused a day at most, every answer a 200', async () => {
		configure({ humanPauseMinutes: 1e12 });
		await post(conversationFragment([human('a1')]));
		const reply = await server.post(conversationFragment([visitor('v1', 'Hi')]), { token: 'Zq4uT9v1xW7yB2nM5kP8' });
		expect(reply).toEqual({ status: 200, body: expect.objectContaining({ pausedUntil: new Date(T0 + MAX_PAUSE_MS).toISOString() }) });
	});

	it('a stored time of 1e300 (an edited database): the pause ends within a day, the conversation is forgotten a day later', async () => {
		server.savedStaticData = { 'node:Brevo Conversations Trigger': { conversations: `${CONVERSATION_ID} 1e300 1e300 v1;` } };
		server.restart();
		const reply = await server.post(conversationFragment([visitor('v2', 'Hi')]), { token: 'Zq4uT9v1xW7yB2nM5kP8' });
		expect(reply).toEqual({ status: 200, body: expect.objectContaining({ pausedUntil: new Date(T0 + MAX_PAUSE_MS).toISOString() }) });
		expect(decodeStates(`x 1e300 -1e300 a;`, T0).get('x')).toEqual({ delivered: ['a'], lastEventAt: T0, clearedAt: T0 });
		clock.now = T0 + FORGET_AFTER_MS + MINUTE;
		await post(conversationFragment([visitor('v1', 'Still there?')]));
		expect(server.started).toHaveLength(1);
	});

	it('IDs longer than the bound are stored as a hash: 50 IDs of 200 KB store a few KB, and are still recognised', async () => {
		const huge = (n: number) => `${n}`.padEnd(200_000, 'x');
		const messages = Array.from({ length: 50 }, (_, n) => visitor(huge(n), 'Hi'));
		const conversationId = 'c'.repeat(200_000);
		expect(await post(fragmentIn(conversationId, messages))).toMatchObject({ message: 'Workflow was started' });
		expect(String(storedRaw()).length).toBeLessThan(50 * (MAX_ID_LENGTH / 2) + 100);
		expect(await post(fragmentIn(conversationId, [visitor(huge(7), 'Hi')]))).toMatchObject({
			message: 'Every visitor message of the event already started the workflow',
		});
		expect(await post(fragmentIn(conversationId, [visitor(`${huge(7)}y`, 'Hi')]))).toMatchObject({ message: 'Workflow was started' });
	});

	it('the stored string has a size cap: over it, conversations are dropped unpaused and oldest first', async () => {
		const id = (n: number, c: string) => `${c}${n}`.padEnd(MAX_ID_LENGTH, c);
		const states: ConversationStates = new Map();
		for (let n = 0; n < MAX_CONVERSATIONS; n++) {
			states.set(id(n, 'c'), { delivered: Array.from({ length: 10 }, (_, m) => id(n * 10 + m, 'm')), lastEventAt: T0 - MINUTE + n });
		}
		server.savedStaticData = { 'node:Brevo Conversations Trigger': { conversations: encodeStates(states) } };
		expect(encodeStates(states).length).toBeGreaterThan(MAX_STORED_LENGTH);
		server.restart();
		await post(conversationFragment([human('a1')]));
		const kept = stored();
		expect(String(storedRaw()).length).toBeLessThanOrEqual(MAX_STORED_LENGTH);
		expect(kept.get(CONVERSATION_ID)?.pausedUntil).toBe(T0 + 30 * MINUTE);
		expect(kept.has(id(0, 'c'))).toBe(false);
		expect(kept.has(id(MAX_CONVERSATIONS - 1, 'c'))).toBe(true);
	});
});

describe('what is not worth remembering never pushes out what is', () => {
	it('2,000 agent-only or empty fragments of new conversations: nothing stored, a paused conversation still paused', async () => {
		await post(conversationFragment([human('a1')]));
		const saves = server.staticDataSaves;
		for (let n = 0; n < MAX_CONVERSATIONS; n++) {
			const messages = n % 2 === 0 ? [] : [agentMessage(`bot${n}`, 'Automated hello', clock.now, { isBot: true })];
			await post(fragmentIn(`flood${n}`, messages));
		}
		expect(server.staticDataSaves).toBe(saves);
		expect([...stored().keys()]).toEqual([CONVERSATION_ID]);
		expect(await post(conversationFragment([visitor('v1', 'Hi')]))).toMatchObject({ message: 'Paused: a human agent is answering this conversation' });
	}, 60_000);

	it('past the count cap, unpaused conversations go first, however old the paused one is', async () => {
		await post(conversationFragment([human('a1')]));
		for (let n = 0; n < MAX_CONVERSATIONS + 5; n++) {
			clock.now += 1;
			await post(fragmentIn(`busy${n}`, [visitor(`q${n}`, 'Hi')]));
		}
		const kept = stored();
		expect(kept.size).toBe(MAX_CONVERSATIONS);
		expect(kept.get(CONVERSATION_ID)?.pausedUntil).toBeDefined();
		expect(kept.has('busy0')).toBe(false);
		expect(await post(conversationFragment([visitor('v1', 'Hi')]))).toMatchObject({ message: 'Paused: a human agent is answering this conversation' });
	}, 60_000);
});
