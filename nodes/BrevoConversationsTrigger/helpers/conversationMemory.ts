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
	/**
	 * When the conversation's transcript ended its pause (ms); only kept while no newer pause holds.
	 * Another process's copy, or an older stored one, may still hold the pause: a pause of a state
	 * whose last event is not later than this is void, so merging cannot bring it back.
	 */
	clearedAt?: number;
}

/** conversationId → state */
export type ConversationStates = Map<string, ConversationState>;

/** A conversation without an event for this long is forgotten (Brevo's last retry comes after ≈ 11 h). */
export const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;
/** The longest Human Agent Pause: the memory of a conversation does not outlive a day of silence anyway. */
export const MAX_PAUSE_MINUTES = 24 * 60;
export const MAX_PAUSE_MS = MAX_PAUSE_MINUTES * 60 * 1000;
/** The most conversations kept; unpaused ones with the oldest event are dropped first. */
export const MAX_CONVERSATIONS = 2000;
/** The most message IDs kept per conversation: a re-delivery only ever repeats recent messages. */
export const MAX_DELIVERED_PER_CONVERSATION = 50;
/** How stale the saved event time may get: a conversation is forgotten 23 to 24 h after its last event. */
export const REFRESH_AFTER_MS = 60 * 60 * 1000;
/** Brevo's IDs have 17 to 32 characters; a longer one (from any caller with the token) is stored as its hash. */
export const MAX_ID_LENGTH = 64;
/**
 * The most characters the stored string may hold (n8n writes it whole with every save): ≈ 10,000
 * conversations' worth at Brevo's ID lengths. Past it, conversations are dropped as past the count cap.
 */
export const MAX_STORED_LENGTH = 1_000_000;

/** 53 bits of a string (cyrb53): not cryptographic, for keys only. */
function hash53(text: string, seed: number): number {
	let h1 = 0xdeadbeef ^ seed;
	let h2 = 0x41c6ce57 ^ seed;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The key an ID is remembered by: itself, or `#` and 106 bits of its hash when it is longer than
 * MAX_ID_LENGTH, so one request cannot make n8n store and re-save megabytes of ID.
 */
export function memoryKey(id: string): string {
	if (id.length <= MAX_ID_LENGTH) return id;
	return `#${hash53(id, 1).toString(36)}${hash53(id, 2).toString(36)}`;
}

/**
 * The states as stored in static data: ONE string, a record per conversation, each ended by `;`:
 * `conversationId lastEventAt pause messageId messageId …` (times in ms; pause is pausedUntil, or
 * minus clearedAt, or 0 for neither; a `%`, `;`, space, quote, backslash or control character in
 * an ID is written `%xx`). Not an object per conversation, because n8n walks every object of the
 * static data on each webhook call (it wraps each in a change-tracking Proxy, and every read goes
 * through it): with 1,000 conversations that cost more CPU than the rest of the trigger. And not
 * JSON inside the string, whose quotes n8n would escape and unescape with every load and save. The
 * trigger decodes the string only when another process or an n8n restart changed it (conversationStore.ts).
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

function recordOf(conversationId: string, state: ConversationState): string {
	let record = records.get(state);
	if (record === undefined) {
		const pause = state.pausedUntil ?? (state.clearedAt === undefined ? 0 : -state.clearedAt);
		record = [escapeId(conversationId), state.lastEventAt, pause, ...state.delivered.map(escapeId)].join(' ');
		records.set(state, record);
	}
	return record;
}

export function encodeStates(states: ConversationStates): string {
	const encoded: string[] = [];
	for (const [conversationId, state] of states) encoded.push(recordOf(conversationId, state));
	return encoded.length === 0 ? '' : `${encoded.join(';')};`;
}

/**
 * The states of what was stored; anything malformed (edited, or another format) is left out, and
 * times are brought within reach of `now`: an event never later than now, a pause never longer
 * than the longest one. A stored `1e300` would otherwise never expire, or fail every later call.
 */
export function decodeStates(stored: unknown, now: number): ConversationStates {
	const states: ConversationStates = new Map();
	if (typeof stored !== 'string') return states;
	for (const record of stored.split(';')) {
		const [id, at, pause, ...ids] = record.split(' ');
		const conversationId = unescapeId(id);
		const lastEventAt = Math.min(Number(at), now);
		const pauseField = Number(pause);
		const delivered = ids.map(unescapeId);
		if (!conversationId || !Number.isFinite(lastEventAt) || !Number.isFinite(pauseField) || at === '' || pause === '') continue;
		if (delivered.some((messageId) => !messageId)) continue;
		const state: ConversationState = { delivered: (delivered as string[]).slice(-MAX_DELIVERED_PER_CONVERSATION), lastEventAt };
		if (pauseField > 0) state.pausedUntil = Math.min(pauseField, now + MAX_PAUSE_MS);
		else if (pauseField < 0) state.clearedAt = Math.min(-pauseField, now);
		states.set(memoryKey(conversationId), state);
	}
	return states;
}

/** Whether `next` holds a message ID, pause or end of a pause that `before` lacks, or a different set of them. */
function differsInContent(before: ConversationState, next: ConversationState): boolean {
	if ((before.pausedUntil ?? 0) !== (next.pausedUntil ?? 0) || (before.clearedAt ?? 0) !== (next.clearedAt ?? 0)) return true;
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

/** Whether a state is worth remembering at all: a conversation with no message and no pause to recall is not stored. */
export const holdsAnything = (state: ConversationState): boolean =>
	state.delivered.length > 0 || state.pausedUntil !== undefined || state.clearedAt !== undefined;

const sameState = (a: ConversationState, b: ConversationState) => a.lastEventAt === b.lastEventAt && !differsInContent(a, b);

/** The IDs of both lists, newest last: the older state's first, so that the cap drops the oldest. */
function unitedIds(older: string[], newer: string[]): string[] {
	const newerSet = new Set(newer);
	const united = [...new Set(older.filter((id) => !newerSet.has(id))), ...newer];
	return united.slice(-MAX_DELIVERED_PER_CONVERSATION);
}

/**
 * Two copies of one conversation's state as one: message IDs united (the newest kept), the latest
 * event, the latest end of a pause, and the latest pause unless that end voids it (its state's
 * last event came before the transcript's).
 */
export function mergeState(a: ConversationState, b: ConversationState): ConversationState {
	if (sameState(a, b)) return a;
	const [older, newer] = a.lastEventAt <= b.lastEventAt ? [a, b] : [b, a];
	const clearedAt = Math.max(a.clearedAt ?? 0, b.clearedAt ?? 0);
	const pauseOf = (state: ConversationState) => (state.pausedUntil !== undefined && state.lastEventAt > clearedAt ? state.pausedUntil : 0);
	const pausedUntil = Math.max(pauseOf(a), pauseOf(b));
	const merged: ConversationState = { delivered: unitedIds(older.delivered, newer.delivered), lastEventAt: newer.lastEventAt };
	if (pausedUntil > 0) merged.pausedUntil = pausedUntil;
	else if (clearedAt > 0) merged.clearedAt = clearedAt;
	return merged;
}

/**
 * Unites `other` into `states` (changed in place). n8n saves static data whole, so of two
 * overlapping webhook calls the later save drops what the earlier one remembered; merging what n8n
 * loaded into a process's own copy keeps such a record.
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

/** Which state goes first when the memory is full: any unpaused one before a paused one, then the oldest event. */
const evictsBefore = (a: ConversationState, b: ConversationState, now: number): boolean => {
	const pausedA = (a.pausedUntil ?? 0) > now;
	const pausedB = (b.pausedUntil ?? 0) > now;
	return pausedA !== pausedB ? pausedB : a.lastEventAt < b.lastEventAt;
};

/** Drops `count` states in eviction order (see evictsBefore). */
function evict(states: ConversationStates, count: number, now: number): void {
	if (count > FEW) {
		const order = [...states].sort(([, a], [, b]) => (evictsBefore(a, b, now) ? -1 : evictsBefore(b, a, now) ? 1 : 0));
		for (const [conversationId] of order.slice(0, count)) states.delete(conversationId);
		return;
	}
	for (let i = 0; i < count; i++) {
		let first: [string, ConversationState] | undefined;
		for (const entry of states) if (first === undefined || evictsBefore(entry[1], first[1], now)) first = entry;
		if (first) states.delete(first[0]);
	}
}

/**
 * Forgets (in place) the states too old, then past the count cap or the stored-size cap, unpaused
 * and oldest first: a flood of new conversations can push out quiet ones, never a human agent's
 * pause while an unpaused one is left. Runs on every save, usually with the cap exceeded by the one
 * new conversation, so the few to drop are picked out directly instead of sorting them all.
 */
export function forgetOld(states: ConversationStates, now: number): void {
	let length = 0;
	for (const [conversationId, state] of states) {
		if (!isRemembered(state, now)) states.delete(conversationId);
		else length += recordOf(conversationId, state).length + 1;
	}
	if (states.size > MAX_CONVERSATIONS) evict(states, states.size - MAX_CONVERSATIONS, now);
	if (length <= MAX_STORED_LENGTH) return;
	// Rare (IDs near the length bound in thousands of conversations): measured again as it goes.
	while (states.size > 0 && encodeStates(states).length > MAX_STORED_LENGTH) evict(states, Math.ceil(states.size / 20), now);
}

/** The state with these visitor message IDs added to what was delivered. */
export function withDelivered(state: ConversationState, ids: string[]): ConversationState {
	if (ids.length === 0) return state;
	return { ...state, delivered: [...new Set([...state.delivered, ...ids])].slice(-MAX_DELIVERED_PER_CONVERSATION) };
}
