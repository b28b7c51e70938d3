import type { IWebhookFunctions } from 'n8n-workflow';
import type { WebhookOutcome } from './handleWebhookRequest';

/**
 * An event that starts nothing leaves no execution, so "why did my bot not answer?" is answered
 * in n8n's log: the reason and the conversation, never the token or the visitor's words. A pause
 * for a human agent is logged at info level (it changes what the bot does for 30 minutes); the
 * routine reasons (own replies, unselected events, re-deliveries) at debug level.
 */
export function logIgnored(ctx: IWebhookFunctions, outcome: Extract<WebhookOutcome, { action: 'ignore' }>): void {
	const body = ctx.getBodyData() as { conversationId?: unknown };
	const metadata = {
		workflowId: ctx.getWorkflow().id,
		node: ctx.getNode().name,
		eventName: outcome.body.eventName,
		conversationId: typeof body.conversationId === 'string' ? body.conversationId : undefined,
		reason: outcome.reason,
		...(outcome.body.pausedUntil ? { pausedUntil: outcome.body.pausedUntil } : {}),
	};
	const message = `Brevo Conversations Trigger started nothing: ${String(outcome.body.message)}`;
	if (outcome.reason === 'pausedForHuman') ctx.logger.info(message, metadata);
	else ctx.logger.debug(message, metadata);
}
