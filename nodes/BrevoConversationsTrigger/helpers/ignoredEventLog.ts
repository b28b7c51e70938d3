import type { IWebhookFunctions } from 'n8n-workflow';
import type { WebhookOutcome } from './handleWebhookRequest';
import { stringField } from './webhookEvent';

/** Where a log line comes from; the conversation is in the text too, as n8n's console log shows no metadata. */
function metadataOf(ctx: IWebhookFunctions) {
	return {
		workflowId: ctx.getWorkflow().id,
		node: ctx.getNode().name,
		conversationId: stringField(ctx.getBodyData(), 'conversationId'),
	};
}

const inConversation = (conversationId: string | undefined) => (conversationId === undefined ? '' : ` (conversation ${conversationId})`);

/**
 * An event that starts nothing leaves no execution, so "why did my bot not answer?" is answered
 * in n8n's log: the reason and the conversation, never the token or the visitor's words. A pause
 * for a human agent is logged at info level (it changes what the bot does for 30 minutes); the
 * routine reasons (own replies, unselected events, re-deliveries) at debug level.
 */
export function logIgnored(ctx: IWebhookFunctions, outcome: Extract<WebhookOutcome, { action: 'ignore' }>): void {
	const metadata = {
		...metadataOf(ctx),
		eventName: outcome.body.eventName,
		reason: outcome.reason,
		...(outcome.body.pausedUntil ? { pausedUntil: outcome.body.pausedUntil } : {}),
	};
	const message = `Brevo Conversations Trigger started nothing${inConversation(metadata.conversationId)}: ${String(outcome.body.message)}`;
	if (outcome.reason === 'pausedForHuman') ctx.logger.info(message, metadata);
	else ctx.logger.debug(message, metadata);
}

/**
 * A refused call: a trigger without a usable token at warn level, a body that is no Brevo event at info level (a misconfigured sender
 * learns why from n8n's log), a missing or wrong token at debug level (anyone on the internet can
 * send those, and they must not flood the log).
 */
export function logRejected(ctx: IWebhookFunctions, outcome: Extract<WebhookOutcome, { action: 'reject' }>): void {
	const message = `Brevo Conversations Trigger answered ${outcome.status}: ${String(outcome.body.message)}`;
	const metadata = { workflowId: ctx.getWorkflow().id, node: ctx.getNode().name, status: outcome.status };
	if (outcome.status >= 500) ctx.logger.warn(message, metadata);
	else if (outcome.status === 400) ctx.logger.info(message, metadata);
	else ctx.logger.debug(message, metadata);
}
