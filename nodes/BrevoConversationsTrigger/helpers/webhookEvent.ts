import type { IDataObject } from 'n8n-workflow';

/**
 * An event Brevo Conversations posts to a webhook, by `eventName`. Brevo adds fields over time,
 * so an event is kept as an open object: only the fields this node reads are named.
 */
export interface BrevoWebhookEvent extends IDataObject {
	eventName: string;
}

export function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The lists of objects in an event: an entry that is not an object (a null, a string) is dropped. */
const OBJECT_LISTS = ['messages', 'agents'] as const;

/**
 * The request body as a Brevo event, or `undefined` when it cannot be one: not a JSON object (n8n
 * hands over a string or a Buffer for other content types), or no non-empty `eventName`. Entries of
 * `messages[]` and `agents[]` that are not objects are left out here, once, so that no later rule
 * meets a `null` where Brevo sends a message.
 */
export function parseWebhookEvent(body: unknown): BrevoWebhookEvent | undefined {
	if (!isRecord(body)) return undefined;
	const { eventName } = body;
	if (typeof eventName !== 'string' || eventName.trim() === '') return undefined;
	let event = body as BrevoWebhookEvent;
	for (const list of OBJECT_LISTS) {
		const entries = event[list];
		if (Array.isArray(entries) && !entries.every(isRecord)) event = { ...event, [list]: entries.filter(isRecord) };
	}
	return event;
}

/** The message objects of an event: `message` for conversationStarted, `messages[]` for the others. */
export function eventMessages(event: IDataObject): IDataObject[] {
	if (Array.isArray(event.messages)) return event.messages.filter(isRecord);
	return isRecord(event.message) ? [event.message] : [];
}

export function stringField(source: unknown, key: string): string | undefined {
	if (!isRecord(source)) return undefined;
	const value = source[key];
	if (typeof value === 'string' && value !== '') return value;
	// Brevo IDs are strings, but a number is still usable as one.
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** The object without its undefined fields: fields Brevo did not send are left out, not set to null. */
export function withoutUndefined<T extends IDataObject>(object: T): T {
	for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
	return object;
}

/** "n8n-bot, n8n-orders" → ['n8n-bot', 'n8n-orders']: the option lists a user types; empty entries are dropped. */
export function commaSeparated(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}
