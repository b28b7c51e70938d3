import type { IDataObject } from 'n8n-workflow';
import { isEcho } from './echoFilter';
import { eventMessages } from './webhookEvent';

/**
 * No Brevo event says that a human agent took a conversation: the only sign is a message of an
 * agent that is not automated (`isPushed`), not a targeted trigger message (`isTrigger`), not
 * Brevo's bot (`isBot`) and not one of the workflow's own replies (its ignored Received From
 * labels). A message whose Received From is a handover label counts too: the workflow itself
 * hands the conversation to a human ("a colleague will take over").
 */
export function isHumanTurn(message: IDataObject, ignoredReceivedFrom: string[], handoverReceivedFrom: string[]): boolean {
	if (isEcho(message, handoverReceivedFrom)) return true;
	return (
		message.type === 'agent' &&
		message.isPushed !== true &&
		message.isBot !== true &&
		message.isTrigger !== true &&
		!isEcho(message, ignoredReceivedFrom)
	);
}

/**
 * When the newest human turn of the event was written (ms), or `undefined` when it has none. A
 * message without a timestamp, or dated in the future, counts as written `now`.
 */
export function lastHumanTurnAt(
	event: IDataObject,
	ignoredReceivedFrom: string[],
	handoverReceivedFrom: string[],
	now: number,
): number | undefined {
	let last: number | undefined;
	for (const message of eventMessages(event)) {
		if (!isHumanTurn(message, ignoredReceivedFrom, handoverReceivedFrom)) continue;
		const at = typeof message.createdAt === 'number' ? Math.min(message.createdAt, now) : now;
		last = Math.max(last ?? at, at);
	}
	return last;
}
