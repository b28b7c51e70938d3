import type { IDataObject } from 'n8n-workflow';
import { isRecord, type BrevoWebhookEvent } from './webhookEvent';

/**
 * Messages a workflow sends through the Brevo Conversations node with "Received From" set come back
 * in the webhooks with that `receivedFrom`. Dropping them keeps a reply workflow from answering
 * its own replies in a loop.
 */
export function isEcho(message: unknown, ignored: string[]): boolean {
	if (!isRecord(message) || typeof message.receivedFrom !== 'string') return false;
	return ignored.includes(message.receivedFrom.trim());
}

/**
 * The event without the ignored messages, or `undefined` when nothing is left to act on:
 * - conversationStarted: the conversation was opened by the workflow's own message → ignored;
 * - conversationFragment: echoed messages are removed from `messages[]`; only echoes → ignored;
 * - conversationTranscript and unknown events: passed through whole. A transcript is the record of
 *   a finished conversation (answering it cannot loop), and cutting the bot's turns out of it would
 *   falsify that record.
 */
export function removeEchoes(event: BrevoWebhookEvent, ignored: string[]): BrevoWebhookEvent | undefined {
	if (ignored.length === 0) return event;
	if (event.eventName === 'conversationStarted') {
		return isEcho(event.message, ignored) ? undefined : event;
	}
	if (event.eventName === 'conversationFragment' && Array.isArray(event.messages)) {
		const kept = (event.messages as IDataObject[]).filter((message) => !isEcho(message, ignored));
		if (kept.length === event.messages.length) return event;
		if (kept.length === 0) return undefined;
		return { ...event, messages: kept };
	}
	return event;
}
