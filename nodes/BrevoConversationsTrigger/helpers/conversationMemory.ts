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
	for (const conversationId of Object.keys(stored)) {
		const state = (stored as Record<string, unknown>)[conversationId];
		if (isState(state)) states[conversationId] = state;
	}
	return states;
}

function sameState(a: ConversationState, b: ConversationState): boolean {
	return a.lastEventAt === b.lastEventAt && !isWorthSaving(a, b);
}

function mergeState(a: ConversationState, b: ConversationState): ConversationState {
	// Nearly always the two are the same record (loaded back after this process saved it): no new arrays then.
	if (sameState(a, b)) return a;
	const delivered = [...new Set([...a.delivered, ...b.delivered])].slice(-MAX_DELIVERED_PER_CONVERSATION);
	const pausedUntil = Math.max(a.pausedUntil ?? 0, b.pausedUntil ?? 0);
	return { delivered, lastEventAt: Math.max(a.lastEventAt, b.lastEventAt), ...(pausedUntil > 0 ? { pausedUntil } : {}) };
}

/**
 * Both sets of states in one: message IDs united, the latest event and pause kept. n8n saves static
 * data whole, so of two overlapping webhook calls the later save drops what the earlier one
 * remembered; merging a process's own copy into what n8n loaded brings such a record back.
 * Runs on every webhook call over up to MAX_CONVERSATIONS records, so it copies only what differs:
 * `a` itself when `b` adds nothing to it.
 */
export function mergeStates(a: ConversationStates, b: ConversationStates): ConversationStates {
	let merged = a;
	for (const conversationId in b) {
		const mine = a[conversationId];
		const state = mine === undefined ? b[conversationId] : mergeState(mine, b[conversationId]);
		if (state === mine) continue;
		if (merged === a) merged = { ...a };
		merged[conversationId] = state;
	}
	return merged;
}

/**
 * Whether `next` is worth a save over `before`: new message IDs or a new pause always are; a later
 * event time only once it is REFRESH_AFTER_MS newer (n8n writes the whole static data on every save).
 */
export function isWorthSaving(before: ConversationState | undefined, next: ConversationState): boolean {
	if (before === undefined) return true;
	if ((before.pausedUntil ?? 0) !== (next.pausedUntil ?? 0)) return true;
	if (before.delivered.length !== next.delivered.length || next.delivered.some((id, i) => id !== before.delivered[i])) return true;
	return next.lastEventAt - before.lastEventAt >= REFRESH_AFTER_MS;
}
/** How stale the saved event time may get: a conversation is forgotten 23 to 24 h after its last event. */
export const REFRESH_AFTER_MS = 60 * 60 * 1000;

/** Whether a state is still remembered at `now` (forgotten 24 h after its conversation's last event). */
export const isRemembered = (state: ConversationState, now: number): boolean => now - state.lastEventAt < FORGET_AFTER_MS;

/**
 * The states without the forgotten ones: too old, or over the cap (oldest event first). The same
 * object when nothing is forgotten. Runs on every change, usually with the cap exceeded by the one
 * new conversation, so the oldest few are picked out directly instead of sorting them all.
 */
export function boundedStates(states: ConversationStates, now: number): ConversationStates {
	const ids = Object.keys(states);
	let kept = ids.filter((id) => isRemembered(states[id], now));
	const age = (id: string) => states[id].lastEventAt;
	if (kept.length - MAX_CONVERSATIONS > FEW) kept = kept.sort((a, b) => age(b) - age(a)).slice(0, MAX_CONVERSATIONS);
	while (kept.length > MAX_CONVERSATIONS) {
		let oldest = 0;
		for (let i = 1; i < kept.length; i++) if (age(kept[i]) < age(kept[oldest])) oldest = i;
		kept.splice(oldest, 1);
	}
	if (kept.length === ids.length) return states;
	const bounded: ConversationStates = {};
	for (const id of kept) bounded[id] = states[id];
	return bounded;
}
/** Up to this many over the cap are dropped one by one (linear each); more are sorted. */
const FEW = 16;

/** The state with these visitor message IDs added to what was delivered. */
export function withDelivered(state: ConversationState, ids: string[]): ConversationState {
	if (ids.length === 0) return state;
	return { ...state, delivered: [...new Set([...state.delivered, ...ids])].slice(-MAX_DELIVERED_PER_CONVERSATION) };
}
