/**
 * What the trigger remembers about a conversation between two webhook calls, and the bounds that
 * keep it small. Brevo has no idempotency key and may deliver a message twice (in Conversation
 * Started and again in a fragment, or a retried delivery hours later), so the visitor messages
 * already handed to the workflow are remembered by ID; a human agent's message pauses the bot.
 * Pure data and functions: the node reads and writes n8n's static data (conversationStore.ts).
 */
export interface ConversationState {
	/** IDs of the visitor messages already handed to the workflow (or seen during a pause), newest last */
	delivered: string[];
	/** When the trigger last received an event of this conversation (ms) */
	lastEventAt: number;
	/** Visitor messages start nothing until then (ms): a human agent answered */
	pausedUntil?: number;
}

/** conversationId → state */
export type ConversationStates = Record<string, ConversationState>;

/** A conversation without an event for this long is forgotten (Brevo's last retry comes after ≈ 11 h). */
export const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;
/** The most conversations kept; the ones with the oldest event are dropped first. */
export const MAX_CONVERSATIONS = 2000;
/** The most message IDs kept per conversation: a re-delivery only ever repeats recent messages. */
export const MAX_DELIVERED_PER_CONVERSATION = 50;

const isState = (value: unknown): value is ConversationState =>
	typeof value === 'object' &&
	value !== null &&
	Array.isArray((value as ConversationState).delivered) &&
	typeof (value as ConversationState).lastEventAt === 'number';

/** Only well-formed entries of what was stored (static data may come from an older version or be edited). */
export function validStates(stored: unknown): ConversationStates {
	const states: ConversationStates = {};
	if (typeof stored !== 'object' || stored === null) return states;
	for (const [conversationId, state] of Object.entries(stored)) {
		if (isState(state)) states[conversationId] = state;
	}
	return states;
}

function mergeState(a: ConversationState, b: ConversationState): ConversationState {
	const delivered = [...new Set([...a.delivered, ...b.delivered])].slice(-MAX_DELIVERED_PER_CONVERSATION);
	const pausedUntil = Math.max(a.pausedUntil ?? 0, b.pausedUntil ?? 0);
	return { delivered, lastEventAt: Math.max(a.lastEventAt, b.lastEventAt), ...(pausedUntil > 0 ? { pausedUntil } : {}) };
}

/**
 * Both sets of states in one: message IDs united, the latest event and pause kept. n8n saves static
 * data whole, so of two overlapping webhook calls the later save drops what the earlier one
 * remembered; merging a process's own copy into what n8n loaded brings such a record back.
 */
export function mergeStates(a: ConversationStates, b: ConversationStates): ConversationStates {
	const merged: ConversationStates = { ...a };
	for (const [conversationId, state] of Object.entries(b)) {
		const mine = merged[conversationId];
		merged[conversationId] = mine === undefined ? state : mergeState(mine, state);
	}
	return merged;
}

/** The states without the forgotten ones: too old, or over the cap (oldest event first). */
export function boundedStates(states: ConversationStates, now: number): ConversationStates {
	const kept = Object.entries(states)
		.filter(([, state]) => now - state.lastEventAt < FORGET_AFTER_MS)
		.sort(([, a], [, b]) => b.lastEventAt - a.lastEventAt)
		.slice(0, MAX_CONVERSATIONS);
	return Object.fromEntries(kept);
}

/** The state with these visitor message IDs added to what was delivered. */
export function withDelivered(state: ConversationState, ids: string[]): ConversationState {
	if (ids.length === 0) return state;
	return { ...state, delivered: [...new Set([...state.delivered, ...ids])].slice(-MAX_DELIVERED_PER_CONVERSATION) };
}
