/**
 * The trigger with its memory, as the memory tests drive it: a TriggerWebhookServer (the real
 * webhook() behind n8n-core's WebhookContext, static data loaded and saved per call as n8n does),
 * a clock the test sets, and message builders dated relative to it. Call once per test file.
 */
import { agentMessage, BOT_LABEL, visitorMessage } from '../fake-brevo/brevoEvents';
import { decodeStates } from '../../nodes/BrevoConversationsTrigger/helpers/conversationMemory';
import { TriggerWebhookServer } from './webhookServer';

export const TOKEN = 'Zq4uT9v1xW7yB2nM5kP8';
export const HANDOVER_LABEL = 'n8n-handover';
export const EVENTS = ['conversationStarted', 'conversationFragment', 'conversationTranscript'];
export const MINUTE = 60_000;
/** The test's "now" (ms) at the start of each test; messages are dated relative to the clock */
export const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

export interface MemoryHarness {
	server: TriggerWebhookServer;
	clock: { now: number };
	configure(options?: Record<string, unknown>): void;
	post(body: unknown): Promise<{ message: string; pausedUntil?: string }>;
	visitor(id: string, text: string, minutesAgo?: number): object;
	human(id: string, minutesAgo?: number): object;
	ownReply(id: string): object;
	handover(id: string): object;
	/** What n8n's database holds for the trigger: one string (conversationMemory.ts) */
	storedRaw(): unknown;
	/** The same, read back with the trigger's decoder */
	stored(): ReturnType<typeof decodeStates>;
}

export function useMemoryHarness(): MemoryHarness {
	const server = new TriggerWebhookServer();
	const clock = { now: T0 };
	const configure = (options: Record<string, unknown> = {}) =>
		server.configure(
			{ events: EVENTS, options: { ignoreReceivedFrom: BOT_LABEL, handoverReceivedFrom: HANDOVER_LABEL, ...options } } as never,
			{ token: TOKEN },
		);

	beforeAll(async () => {
		await server.start();
	});
	afterAll(async () => server.stop());
	beforeEach(() => {
		clock.now = T0;
		jest.spyOn(Date, 'now').mockImplementation(() => clock.now);
		configure();
	});
	afterEach(() => jest.restoreAllMocks());

	const storedRaw = () => (server.savedStaticData['node:Brevo Conversations Trigger'] as { conversations?: unknown } | undefined)?.conversations;
	return {
		server,
		clock,
		configure,
		post: async (body) => (await server.post(body, { token: TOKEN })).body as { message: string; pausedUntil?: string },
		visitor: (id, text, minutesAgo = 0) => visitorMessage(id, text, clock.now - minutesAgo * MINUTE),
		human: (id, minutesAgo = 0) => agentMessage(id, 'Julia here, let me check', clock.now - minutesAgo * MINUTE),
		ownReply: (id) => agentMessage(id, 'Bot answer', clock.now, { receivedFrom: BOT_LABEL }),
		handover: (id) => agentMessage(id, 'A colleague will take over', clock.now, { receivedFrom: HANDOVER_LABEL }),
		storedRaw,
		stored: () => decodeStates(storedRaw(), clock.now),
	};
}
