import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { MAX_PAUSE_MINUTES } from './conversationMemory';
import { parseHostList } from './fileAddress';
import { commaSeparated } from './webhookEvent';
import type { FileDownloadSettings } from './downloadVisitorFiles';
import type { StartOn, TriggerSettings } from './handleWebhookRequest';
import { MIN_SECRET_LENGTH, secretProblem, TOKEN_QUERY_PARAMETER } from './webhookSecret';

export const WEBHOOK_CREDENTIAL_TYPE = 'brevoConversationsWebhookApi';

/** A human agent's message pauses the bot in its conversation this long unless the option says otherwise. */
export const DEFAULT_HUMAN_PAUSE_MINUTES = 30;

/** Version 1 kept the token in a node parameter (saved in the workflow); version 2 in a credential. */
const usesCredential = (ctx: IHookFunctions | IWebhookFunctions) => ctx.getNode().typeVersion >= 2;

/** The token callers must send, or `undefined` when none can be read (no credential selected, credential deleted). */
async function readExpectedToken(ctx: IHookFunctions | IWebhookFunctions): Promise<unknown> {
	if (!usesCredential(ctx)) return ctx.getNodeParameter('secret', '');
	try {
		const credential = await ctx.getCredentials(WEBHOOK_CREDENTIAL_TYPE);
		return credential.token;
	} catch {
		return undefined;
	}
}

export async function readTriggerSettings(ctx: IWebhookFunctions): Promise<TriggerSettings> {
	const events = ctx.getNodeParameter('events', []);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	// Version 1 started on any message; changing that would silently change saved workflows.
	const startOn: StartOn = usesCredential(ctx) && options.startOn !== 'anyMessage' ? 'visitorMessage' : 'anyMessage';
	// An expression can give any number: the pause is kept between 0 and the longest one the memory holds.
	const pauseMinutes =
		typeof options.humanPauseMinutes === 'number' && options.humanPauseMinutes >= 0
			? Math.min(options.humanPauseMinutes, MAX_PAUSE_MINUTES)
			: DEFAULT_HUMAN_PAUSE_MINUTES;
	return {
		events: Array.isArray(events) ? events.filter((name): name is string => typeof name === 'string') : [],
		expectedToken: await readExpectedToken(ctx),
		ignoredReceivedFrom: commaSeparated(options.ignoreReceivedFrom),
		handoverReceivedFrom: usesCredential(ctx) ? commaSeparated(options.handoverReceivedFrom) : [],
		// Version 1 never paused: its workflows keep behaving as they were saved.
		humanPauseMs: usesCredential(ctx) ? Math.round(pauseMinutes * 60_000) : 0,
		startOn,
		simplify: ctx.getNodeParameter('simplify', true) !== false,
	};
}

const MEGABYTE = 1024 * 1024;

/** How to download the visitor's files, or `undefined` when the option is off. */
export function readFileDownloadSettings(ctx: IWebhookFunctions): FileDownloadSettings | undefined {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	if (options.downloadFiles !== true) return undefined;
	const number = (value: unknown, fallback: number) => (typeof value === 'number' && value > 0 ? value : fallback);
	return {
		maxBytes: Math.round(number(options.maxFileSize, 10) * MEGABYTE),
		maxTotalBytes: Math.round(number(options.maxTotalSize, 25) * MEGABYTE),
		maxFiles: Math.floor(number(options.maxFiles, 10)),
		timeoutMs: Math.round(number(options.downloadTimeout, 10) * 1000),
		allowedHosts: parseHostList(options.allowedFileHosts),
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
export async function activationProblem(ctx: IHookFunctions): Promise<ActivationProblem | undefined> {
	const inCredential = usesCredential(ctx);
	const problem = secretProblem(await readExpectedToken(ctx), inCredential ? 'token' : 'Secret');
	if (problem !== undefined) {
		return {
			message: problem,
			description: inCredential
				? `Open the trigger's Brevo Conversations Webhook API credential and set a token of at least ${MIN_SECRET_LENGTH} letters and digits (e.g. from "openssl rand -hex 16"), then add ?${TOKEN_QUERY_PARAMETER}=<token> to the URL you paste into Brevo`
				: `Set a Secret of at least ${MIN_SECRET_LENGTH} letters and digits, then add ?${TOKEN_QUERY_PARAMETER}=<Secret> to the URL you paste into Brevo`,
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
