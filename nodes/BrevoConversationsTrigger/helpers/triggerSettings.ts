import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { parseReceivedFromList } from './echoFilter';
import type { TriggerSettings } from './handleWebhookRequest';
import { MIN_SECRET_LENGTH, secretProblem, TOKEN_QUERY_PARAMETER } from './webhookSecret';

export function readTriggerSettings(ctx: IWebhookFunctions): TriggerSettings {
	const events = ctx.getNodeParameter('events', []);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		events: Array.isArray(events) ? events.filter((name): name is string => typeof name === 'string') : [],
		secret: ctx.getNodeParameter('secret', ''),
		ignoredReceivedFrom: parseReceivedFromList(options.ignoreReceivedFrom),
		simplify: ctx.getNodeParameter('simplify', true) !== false,
	};
}

export interface ActivationProblem {
	message: string;
	description: string;
}

/**
 * Why the trigger must not start listening, or `undefined`. Checked when the workflow is activated
 * (or listens for a test event), so a misconfiguration shows in the editor rather than as 500s
 * in Brevo's webhook log.
 */
export function activationProblem(ctx: IHookFunctions): ActivationProblem | undefined {
	const problem = secretProblem(ctx.getNodeParameter('secret', ''));
	if (problem !== undefined) {
		return {
			message: problem,
			description: `Set a Secret of at least ${MIN_SECRET_LENGTH} letters and digits, then add ?${TOKEN_QUERY_PARAMETER}=<Secret> to the URL you paste into Brevo`,
		};
	}
	const events = ctx.getNodeParameter('events', []);
	if (!Array.isArray(events) || events.length === 0) {
		return {
			message: 'No event is selected',
			description: 'Select at least one event under Events; Brevo calls for the others are acknowledged and ignored',
		};
	}
	return undefined;
}
