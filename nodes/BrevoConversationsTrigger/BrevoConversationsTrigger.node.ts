import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type INodeExecutionData,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type INodeCredentialTestResult,
} from 'n8n-workflow';
import { triggerProperties } from './properties';
import { downloadVisitorFiles } from './helpers/downloadVisitorFiles';
import { openConversationStore } from './helpers/conversationStore';
import { handleWebhookRequest, UNREADABLE_EVENT, type WebhookOutcome } from './helpers/handleWebhookRequest';
import { logIgnored, logRejected } from './helpers/ignoredEventLog';
import {
	activationProblem,
	readFileDownloadSettings,
	readTriggerSettings,
} from './helpers/triggerSettings';
import { filesOf, visitorMessagesOf } from './helpers/visitorMessages';
import { secretProblem } from './helpers/webhookSecret';

/** The part of n8n's response object used here (express's Response is a ServerResponse). */
interface ResponseWriter {
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body: string): unknown;
}

function respondJson(res: ResponseWriter, status: number, body: IDataObject): void {
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify(body));
}

export class BrevoConversationsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Brevo Conversations Trigger',
		name: 'brevoConversationsTrigger',
		icon: { light: 'file:brevoConversations.svg', dark: 'file:brevoConversations.dark.svg' },
		group: ['trigger'],
		// 2: the token in a credential, starts on visitor messages only by default, visitor files.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{"Events: " + $parameter["events"].join(", ")}}',
		description: 'Starts the workflow when Brevo Conversations reports a chat event',
		eventTriggerDescription: 'Waiting for Brevo Conversations to call the Test URL',
		activationMessage: 'Brevo Conversations webhooks sent to the Production URL now start this workflow.',
		defaults: { name: 'Brevo Conversations Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'brevoConversationsWebhookApi',
				required: true,
				testedBy: 'webhookTokenTest',
				displayOptions: { show: { '@version': [2] } },
			},
		],
		// The node answers every call itself (webhook()); responseData '' keeps n8n from sending
		// 'firstEntryJson' as literal text should it ever answer.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }],
		properties: triggerProperties,
	};

	// Saving the credential checks the token's form: nothing is sent anywhere with it.
	methods = {
		credentialTest: {
			async webhookTokenTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problem = secretProblem(credential.data?.token);
				if (problem !== undefined) return { status: 'Error', message: problem };
				return { status: 'OK', message: 'The token can protect the webhook URL' };
			},
		},
	};

	// Brevo registers webhooks only in its UI, so there is nothing to create or delete remotely:
	// activation checks the settings the URL's protection depends on instead.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const problem = await activationProblem(this);
				if (problem) throw new NodeOperationError(this.getNode(), problem.message, { description: problem.description });
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	/**
	 * Answers Brevo itself on every path (`noWebhookResponse`): n8n then saves the static data in
	 * its response callback, before it starts the execution. When n8n answers instead, n8n 2.41
	 * resets the static data's change flag while starting the execution, and what this call
	 * remembered would reach the database only with a later call (docs/upstream/webhook-static-data-save.md).
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject() as ResponseWriter;
		const settings = await readTriggerSettings(this);
		let outcome: WebhookOutcome;
		try {
			// From here to commit() nothing awaits: within one n8n process, two calls for the same
			// message cannot both see it as new.
			const store = openConversationStore(this, Date.now());
			outcome = handleWebhookRequest({ body: this.getBodyData(), query: this.getQueryData() }, settings, store);
			if (outcome.action !== 'reject') store.commit(outcome.remember);
		} catch (error) {
			// A payload nobody designed for: Brevo drops a delivery answered with 5xx as with 4xx, and a
			// 4xx says whose side it is on. The body is not logged: it holds the visitor's words.
			this.logger.error('Brevo Conversations Trigger could not handle an event', {
				workflowId: this.getWorkflow().id,
				node: this.getNode().name,
				error: error instanceof Error ? error.message : String(error),
			});
			respondJson(res, 400, { message: UNREADABLE_EVENT });
			return { noWebhookResponse: true };
		}
		if (outcome.action === 'reject') {
			logRejected(this, outcome);
			respondJson(res, outcome.status, outcome.body);
			return { noWebhookResponse: true };
		}
		if (outcome.action === 'ignore') {
			logIgnored(this, outcome);
			respondJson(res, 200, outcome.body);
			return { noWebhookResponse: true };
		}
		const answer = { message: 'Workflow was started', eventName: outcome.event.eventName };
		const item = await itemWithFiles(this, outcome);
		// After the downloads: should n8n stop while they run, Brevo has no answer and delivers the
		// event again, rather than the message being acknowledged and never handled. They are
		// bounded (Max Files per Event × Download Timeout, DOWNLOADS_IN_FLIGHT at once); a retry
		// that Brevo sends meanwhile is recognised as delivered.
		respondJson(res, 200, answer);
		return { workflowData: [[item]], noWebhookResponse: true };
	}
}

/** The item that starts the workflow: the event, with the visitor's files when Download Visitor Files is on. */
async function itemWithFiles(ctx: IWebhookFunctions, outcome: Extract<WebhookOutcome, { action: 'start' }>): Promise<INodeExecutionData> {
	// Only past the token check: an unauthenticated caller cannot make n8n fetch a URL.
	const downloadSettings = readFileDownloadSettings(ctx);
	if (downloadSettings === undefined) return { json: outcome.json };
	const files = visitorMessagesOf(outcome.event).flatMap(filesOf);
	const { binary, downloadedFiles, skippedFiles } = await downloadVisitorFiles(ctx, files, downloadSettings);
	return { json: { ...outcome.json, downloadedFiles, skippedFiles }, binary };
}
