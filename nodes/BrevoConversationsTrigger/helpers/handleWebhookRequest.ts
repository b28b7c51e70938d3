import type { IDataObject } from 'n8n-workflow';
import { memoryKey, withDelivered, type ConversationState } from './conversationMemory';
import { removeEchoes } from './echoFilter';
import { lastHumanTurnAt } from './humanHandover';
import { simplifyEvent } from './simplifyEvent';
import { isVisitorMessage, visitorMessagesOf } from './visitorMessages';
import { parseWebhookEvent, stringField, type BrevoWebhookEvent } from './webhookEvent';
import { checkToken, tokenFromQuery, TOKEN_QUERY_PARAMETER } from './webhookSecret';

/**
 * Which events start the workflow once the ignored messages are removed:
 * - `visitorMessage`: conversationStarted/conversationFragment only when they hold a message the
 *   visitor wrote that was not handed over before, and no human agent is answering;
 * - `anyMessage`: any message (trigger version 1's behaviour; for logging and analytics).
 */
export type StartOn = 'visitorMessage' | 'anyMessage';

export interface TriggerSettings {
	/** Event names that start the workflow */
	events: string[];
	/** The token the caller must send (the credential's in version 2, the Secret parameter in version 1) */
	expectedToken: unknown;
	/** `receivedFrom` values whose messages are ignored (the workflow's own replies) */
	ignoredReceivedFrom: string[];
	/** `receivedFrom` values whose messages pause the conversation like a human agent's */
	handoverReceivedFrom: string[];
	/** How long a human agent's message pauses the bot in its conversation (ms); 0 never pauses */
	humanPauseMs: number;
	startOn: StartOn;
	simplify: boolean;
}

/** The events whose new messages a chat bot answers; a transcript is a record and always starts. */
const CONVERSATION_EVENTS = ['conversationStarted', 'conversationFragment'];
const TRANSCRIPT = 'conversationTranscript';

export interface WebhookRequest {
	body: unknown;
	query: unknown;
}

/** What the trigger remembers (conversationMemory.ts), as the decision sees it. */
export interface Memory {
	/** The remembered state of a conversation, or `undefined` */
	recall(conversationId: string): ConversationState | undefined;
	now: number;
}

/** The remembered state of the event's conversation after this event (stored only when it holds something). */
export interface Remember {
	/** The conversation's memory key (conversationMemory.ts, memoryKey) */
	conversationId: string;
	state: ConversationState;
}

/** Why an event started nothing: each has a fixed text (the answer to Brevo, the log line). */
export const IGNORE_REASONS = {
	notSelected: 'Event not selected in the trigger',
	onlyIgnored: 'Only ignored messages (Received From)',
	noVisitorMessage: 'No visitor message in the event',
	alreadyDelivered: 'Every visitor message of the event already started the workflow',
	pausedForHuman: 'Paused: a human agent is answering this conversation',
} as const;

export type IgnoreReason = keyof typeof IGNORE_REASONS;

/**
 * What the trigger does with one request:
 * - `reject`: answer with this status and body, start nothing (bad token, malformed body);
 * - `ignore`: acknowledge with 200 and start nothing, for `reason`;
 * - `start`: start the workflow with this item (`event`: the Brevo event as kept, for files).
 * Both of the last two may change what is remembered about the conversation (`remember`).
 */
export type WebhookOutcome =
	| { action: 'reject'; status: number; body: IDataObject }
	| { action: 'ignore'; reason: IgnoreReason; body: IDataObject; remember?: Remember }
	| { action: 'start'; json: IDataObject; event: BrevoWebhookEvent; remember?: Remember };

/** The answer when handling an event failed in a way no rule foresaw (the node logs the error). */
export const UNREADABLE_EVENT = 'The Brevo Conversations Trigger could not handle this event; n8n\'s log says why';

const TOKEN_REJECTIONS = {
	missing: { status: 401, message: `Missing ${TOKEN_QUERY_PARAMETER} query parameter` },
	wrong: { status: 403, message: `Wrong ${TOKEN_QUERY_PARAMETER}` },
	notConfigured: { status: 500, message: 'The Brevo Conversations Trigger has no usable token set' },
} as const;

function ignore(reason: IgnoreReason, event: BrevoWebhookEvent, remember?: Remember, extra: IDataObject = {}): WebhookOutcome {
	return { action: 'ignore', reason, body: { message: IGNORE_REASONS[reason], eventName: event.eventName, ...extra }, remember };
}

function start(event: BrevoWebhookEvent, settings: TriggerSettings, remember?: Remember): WebhookOutcome {
	return { action: 'start', json: settings.simplify ? simplifyEvent(event) : event, event, remember };
}

/** The event without the visitor messages whose IDs are in `delivered` (only fragments hold several). */
function withoutDelivered(event: BrevoWebhookEvent, delivered: string[]): BrevoWebhookEvent {
	if (!Array.isArray(event.messages)) return event;
	const messages = (event.messages as IDataObject[]).filter((message) => {
		const id = stringField(message, 'id');
		return !isVisitorMessage(message) || id === undefined || !delivered.includes(memoryKey(id));
	});
	return messages.length === event.messages.length ? event : { ...event, messages };
}

export function handleWebhookRequest(request: WebhookRequest, settings: TriggerSettings, memory: Memory): WebhookOutcome {
	// The token comes first: an unauthenticated caller learns nothing about what the body should be.
	const tokenCheck = checkToken(tokenFromQuery(request.query), settings.expectedToken);
	if (tokenCheck !== 'ok') {
		const { status, message } = TOKEN_REJECTIONS[tokenCheck];
		return { action: 'reject', status, body: { message } };
	}

	const event = parseWebhookEvent(request.body);
	if (event === undefined) {
		return {
			action: 'reject',
			status: 400,
			body: { message: 'Expected a JSON object with an eventName, as Brevo Conversations sends' },
		};
	}
	const selected = settings.events.includes(event.eventName);
	const eventConversationId = stringField(event, 'conversationId');
	const remembers = settings.startOn === 'visitorMessage' && eventConversationId !== undefined;
	const conversationId = memoryKey(eventConversationId ?? '');
	const { now } = memory;
	const recalled = remembers ? memory.recall(conversationId) : undefined;

	if (!remembers || !CONVERSATION_EVENTS.includes(event.eventName)) {
		// A transcript ends the conversation's pause; its message IDs stay until they expire, so
		// that a late re-delivery is still recognised, and the end of the pause is remembered, so
		// that no other copy of the memory brings the pause back.
		const ended = recalled !== undefined && event.eventName === TRANSCRIPT;
		const remember = ended ? { conversationId, state: { delivered: recalled.delivered, lastEventAt: now, clearedAt: now } } : undefined;
		if (!selected) return ignore('notSelected', event, remember);
		const kept = removeEchoes(event, settings.ignoredReceivedFrom);
		if (kept === undefined) return ignore('onlyIgnored', event, remember);
		if (settings.startOn === 'visitorMessage' && CONVERSATION_EVENTS.includes(kept.eventName) && visitorMessagesOf(kept).length === 0) {
			return ignore('noVisitorMessage', event, remember);
		}
		return start(kept, settings, remember);
	}

	// Remembered even for an event the trigger does not start on: a human agent's answer in a
	// fragment pauses the bot that listens to both events.
	let state: ConversationState = { delivered: recalled?.delivered ?? [], lastEventAt: now };
	const pausedBefore = recalled?.pausedUntil ?? 0;
	const humanAt = settings.humanPauseMs > 0 ? lastHumanTurnAt(event, settings.ignoredReceivedFrom, settings.handoverReceivedFrom, now) : undefined;
	const pausedUntil = Math.max(pausedBefore, humanAt === undefined ? 0 : humanAt + settings.humanPauseMs);
	if (pausedUntil > now) state.pausedUntil = pausedUntil;
	else if (recalled?.clearedAt !== undefined) state.clearedAt = recalled.clearedAt;
	const remember = (): Remember => ({ conversationId, state });

	if (!selected) return ignore('notSelected', event, remember());
	const kept = removeEchoes(event, settings.ignoredReceivedFrom);
	if (kept === undefined) return ignore('onlyIgnored', event, remember());
	const visitorMessages = visitorMessagesOf(kept);
	if (visitorMessages.length === 0) return ignore('noVisitorMessage', event, remember());

	// A message without an ID cannot be recognised again: it always counts as new.
	const ids = visitorMessages.map((message) => {
		const id = stringField(message, 'id');
		return id === undefined ? undefined : memoryKey(id);
	});
	const newIds = ids.filter((id) => id === undefined || !state.delivered.includes(id));
	if (newIds.length === 0) return ignore('alreadyDelivered', event, remember());
	const delivered = state.delivered;
	// Messages written while a human agent answers are theirs: they never start the bot later.
	state = withDelivered(state, newIds.filter((id): id is string => id !== undefined));
	if (state.pausedUntil !== undefined) {
		return ignore('pausedForHuman', event, remember(), { pausedUntil: new Date(state.pausedUntil).toISOString() });
	}
	return start(withoutDelivered(kept, delivered), settings, remember());
}
