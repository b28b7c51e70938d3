import type { MappedBrevoError } from './mappedBrevoError';

/**
 * How the error message of a Send starts when Brevo does not know its visitor. It is part of the
 * node's contract: with Settings → On Error → Continue, a workflow's fallback branch (an email
 * instead of the chat message) tests `$json.error` for it, since n8n passes on only the message.
 */
export const UNKNOWN_VISITOR = 'Visitor unknown to Brevo';

/**
 * Whether Brevo's answer to a Send says that it does not know the visitor. Brevo's reference lists
 * no such answer for the Send routes (only 200 and 400 "bad request"); the one "visitor is not
 * found" it documents is a 404 on PUT /conversations/visitorGroup. So a 404 or a 400 counts when
 * Brevo names the visitor, and a 404 "document_not_found" (a Send has no other document to miss);
 * a 404 without either (a wrong Base URL) does not.
 */
export function isUnknownVisitor(statusCode: number, code: string | undefined, message: string): boolean {
	if (statusCode !== 404 && statusCode !== 400) return false;
	if (/visitor/i.test(message) && /not found|unknown|does not exist|doesn't exist|no such/i.test(message)) return true;
	return statusCode === 404 && code === 'document_not_found';
}

/** A Send's failure, told as "unknown visitor" when it is one; any other failure unchanged. */
export function withUnknownVisitor(mapped: MappedBrevoError, statusCode: number, isSend: boolean): MappedBrevoError {
	if (!isSend || !isUnknownVisitor(statusCode, mapped.code, mapped.message)) return mapped;
	const codeNote = mapped.code ? ` (Brevo error code: ${mapped.code})` : '';
	return {
		...mapped,
		message: `${UNKNOWN_VISITOR} (${mapped.message})`,
		description: `Brevo has no chat visitor with this Visitor ID, so nothing was sent: the customer never opened your website's chat while their page set this ID (the widget's visitorId setting), or the page and the workflow derive the ID differently. To reach them another way, set Settings → On Error to "Continue" and send the items whose error starts with "${UNKNOWN_VISITOR}" to an email step.${codeNote}`,
	};
}
