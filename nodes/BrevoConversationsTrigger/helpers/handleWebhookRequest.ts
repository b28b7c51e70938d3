import type { IDataObject } from 'n8n-workflow';
import { removeEchoes } from './echoFilter';
import { simplifyEvent } from './simplifyEvent';
import { visitorMessagesOf } from './visitorMessages';
import { parseWebhookEvent, type BrevoWebhookEvent } from './webhookEvent';
import { checkToken, readToken, TOKEN_QUERY_PARAMETER } from './webhookSecret';

/**
 * Which events start the workflow once the ignored messages are removed:
 * - `visitorMessage`: conversationStarted/conversationFragment only when they hold a message the
 *   visitor wrote (a chat bot must not answer agents, automated messages or Brevo's own bot);
 * - `anyMessage`: any message (trigger version 1's behaviour; for logging and analytics).
 */
export type StartOn = 'visitorMessage' | 'anyMessage';

export interface TriggerSettings {
	/** Event names that start the workflow */
	events: string[];
	/** The token the URL must carry (the credential's in version 2, the Secret parameter in version 1) */
	token: unknown;
	/** `receivedFrom` values whose messages are ignored */
	ignoredReceivedFrom: string[];
	startOn: StartOn;
	simplify: boolean;
}

/** The events whose new messages a chat bot answers; a transcript is a record and always starts. */
const CONVERSATION_EVENTS = ['conversationStarted', 'conversationFragment'];

export interface WebhookRequest {
	body: unknown;
	query: unknown;
}

/**
 * What the trigger does with one request:
 * - `reject`: answer with this status and body, start nothing (bad token, malformed body);
 * - `ignore`: acknowledge with 200 and start nothing (event not selected, only our own messages,
 *   no visitor message);
 * - `start`: start the workflow with this item.
 */
export type WebhookOutcome =
	| { action: 'reject'; status: number; body: IDataObject }
	| { action: 'ignore'; body: IDataObject }
	| { action: 'start'; json: IDataObject; event: BrevoWebhookEvent };

const TOKEN_REJECTIONS = {
	missing: { status: 401, message: `Missing ${TOKEN_QUERY_PARAMETER} query parameter` },
	wrong: { status: 403, message: `Wrong ${TOKEN_QUERY_PARAMETER}` },
	notConfigured: { status: 500, message: 'The Brevo Conversations Trigger has no usable token set' },
} as const;

export function handleWebhookRequest(request: WebhookRequest, settings: TriggerSettings): WebhookOutcome {
	// The token comes first: an unauthenticated caller learns nothing about what the body should be.
	const tokenCheck = checkToken(readToken(request.query), settings.token);
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
	if (!settings.events.includes(event.eventName)) {
		return { action: 'ignore', body: { message: 'Event not selected in the trigger', eventName: event.eventName } };
	}

	const kept = removeEchoes(event, settings.ignoredReceivedFrom);
	if (kept === undefined) {
		return { action: 'ignore', body: { message: 'Only ignored messages (Received From)', eventName: event.eventName } };
	}
	if (
		settings.startOn === 'visitorMessage' &&
		CONVERSATION_EVENTS.includes(kept.eventName) &&
		visitorMessagesOf(kept).length === 0
	) {
		return { action: 'ignore', body: { message: 'No visitor message in the event', eventName: event.eventName } };
	}
	return { action: 'start', json: settings.simplify ? simplifyEvent(kept) : kept, event: kept };
}
