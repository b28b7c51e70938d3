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
export type ConversationStates = Map<string, ConversationState>;

/** A conversation without an event for this long is forgotten (Brevo's last retry comes after ≈ 11 h). */
export const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;
/** The most conversations kept; the ones with the oldest event are dropped first. */
export const MAX_CONVERSATIONS = 2000;
/** The most message IDs kept per conversation: a re-delivery only ever repeats recent messages. */
export const MAX_DELIVERED_PER_CONVERSATION = 50;
/** How stale the saved event time may get: a conversation is forgotten 23 to 24 h after its last event. */
export const REFRESH_AFTER_MS = 60 * 60 * 1000;

/**
 * The states as stored in static data: ONE string, a record per conversation, each ended by `;`:
 * `conversationId lastEventAt pausedUntil messageId messageId …` (times in ms, pausedUntil 0 for
 * none; a `%`, `;`, space, quote, backslash or control character in an ID is written `%xx`).
 * Not an object per conversation, because n8n walks every object of the static data on each
 * webhook call (it wraps each in a change-tracking Proxy, and every read goes through it): with
 * 1,000 conversations that cost more CPU than the rest of the trigger. And not JSON inside the
 * string, whose quotes n8n would escape and unescape with every load and save. The trigger decodes
 * the string only when another process or an n8n restart changed it (conversationStore.ts).
 */
// `%`, `;`, quote, backslash, and everything below `!` (space and control characters)
const RESERVED = /[%;"\\]|[^\x21-\uFFFF]/;
const RESERVED_ALL = new RegExp(RESERVED.source, 'g');
const escapeId = (id: string) => (RESERVED.test(id) ? id.replace(RESERVED_ALL, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : id);
function unescapeId(id: string): string | undefined {
	if (!id.includes('%')) return id;
	try {
		return decodeURIComponent(id);
	} catch {
		return undefined;
	}
}

/** Each state's record, once written: states are never changed in place, and most are written again unchanged. */
const records = new WeakMap<ConversationState, string>();

export function encodeStates(states: ConversationStates): string {
	const encoded: string[] = [];
	for (const [conversationId, state] of states) {
		let record = records.get(state);
		if (record === undefined) {
			record = [escapeId(conversationId), state.lastEventAt, state.pausedUntil ?? 0, ...state.delivered.map(escapeId)].join(' ');
			records.set(state, record);
		}
		encoded.push(record);
	}
	return encoded.length === 0 ? '' : `${encoded.join(';')};`;
}

/** The states of what was stored; anything malformed (edited, or another format) is left out. */
export function decodeStates(stored: unknown): ConversationStates {
	const states: ConversationStates = new Map();
	if (typeof stored !== 'string') return states;
	for (const record of stored.split(';')) {
		const [id, at, until, ...ids] = record.split(' ');
		const conversationId = unescapeId(id);
		const lastEventAt = Number(at);
		const pausedUntil = Number(until);
		const delivered = ids.map(unescapeId);
		if (!conversationId || !Number.isFinite(lastEventAt) || !Number.isFinite(pausedUntil) || at === '' || until === '') continue;
		if (delivered.some((messageId) => !messageId)) continue;
		states.set(conversationId, { delivered: delivered as string[], lastEventAt, ...(pausedUntil > 0 ? { pausedUntil } : {}) });
	}
	return states;
}

/** Whether `next` holds a message ID or pause that `before` lacks, or a different set of them. */
function differsInContent(before: ConversationState, next: ConversationState): boolean {
	if ((before.pausedUntil ?? 0) !== (next.pausedUntil ?? 0)) return true;
	return before.delivered.length !== next.delivered.length || next.delivered.some((id, i) => id !== before.delivered[i]);
}

/**
 * Whether `next` is worth a save over `before`: new message IDs or a new pause always are; a later
 * event time only once it is REFRESH_AFTER_MS newer (n8n writes the whole static data on every save).
 */
export function isWorthSaving(before: ConversationState | undefined, next: ConversationState): boolean {
	if (before === undefined) return true;
	return differsInContent(before, next) || next.lastEventAt - before.lastEventAt >= REFRESH_AFTER_MS;
}

const sameState = (a: ConversationState, b: ConversationState) => a.lastEventAt === b.lastEventAt && !differsInContent(a, b);

function mergeState(a: ConversationState, b: ConversationState): ConversationState {
	if (sameState(a, b)) return a;
	const delivered = [...new Set([...a.delivered, ...b.delivered])].slice(-MAX_DELIVERED_PER_CONVERSATION);
	const pausedUntil = Math.max(a.pausedUntil ?? 0, b.pausedUntil ?? 0);
	return { delivered, lastEventAt: Math.max(a.lastEventAt, b.lastEventAt), ...(pausedUntil > 0 ? { pausedUntil } : {}) };
}

/**
 * Unites `other` into `states` (changed in place): message IDs united, the latest event and pause
 * kept. n8n saves static data whole, so of two overlapping webhook calls the later save drops what
 * the earlier one remembered; merging what n8n loaded into a process's own copy keeps such a record.
 */
export function mergeInto(states: ConversationStates, other: ConversationStates): void {
	for (const [conversationId, state] of other) {
		const mine = states.get(conversationId);
		states.set(conversationId, mine === undefined ? state : mergeState(mine, state));
	}
}

/** Whether `states` remembers anything `stored` does not: then it is worth saving back. */
export function holdsMoreThan(states: ConversationStates, stored: ConversationStates): boolean {
	for (const [conversationId, state] of states) {
		const saved = stored.get(conversationId);
		if (saved === undefined || !sameState(saved, state)) return true;
	}
	return false;
}

/** Whether a state is still remembered at `now` (forgotten 24 h after its conversation's last event). */
export const isRemembered = (state: ConversationState, now: number): boolean => now - state.lastEventAt < FORGET_AFTER_MS;

/** Up to this many over the cap are dropped one by one (a linear scan each); more are sorted. */
const FEW = 16;

/**
 * Forgets (in place) the states too old or over the cap, oldest event first. Runs on every save,
 * usually with the cap exceeded by the one new conversation, so the oldest few are picked out
 * directly instead of sorting them all.
 */
export function forgetOld(states: ConversationStates, now: number): void {
	for (const [conversationId, state] of states) if (!isRemembered(state, now)) states.delete(conversationId);
	const excess = states.size - MAX_CONVERSATIONS;
	if (excess <= 0) return;
	if (excess > FEW) {
		const oldestFirst = [...states].sort(([, a], [, b]) => a.lastEventAt - b.lastEventAt);
		for (const [conversationId] of oldestFirst.slice(0, excess)) states.delete(conversationId);
		return;
	}
	for (let i = 0; i < excess; i++) {
		let oldest: [string, ConversationState] | undefined;
		for (const entry of states) if (oldest === undefined || entry[1].lastEventAt < oldest[1].lastEventAt) oldest = entry;
		states.delete(oldest![0]);
	}
}

/** The state with these visitor message IDs added to what was delivered. */
export function withDelivered(state: ConversationState, ids: string[]): ConversationState {
	if (ids.length === 0) return state;
	return { ...state, delivered: [...new Set([...state.delivered, ...ids])].slice(-MAX_DELIVERED_PER_CONVERSATION) };
}
