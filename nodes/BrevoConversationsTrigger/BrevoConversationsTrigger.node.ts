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
import { handleWebhookRequest } from './helpers/handleWebhookRequest';
import { logIgnored } from './helpers/ignoredEventLog';
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
		// responseData '' makes n8n answer a started event with the webhookResponse below (its
		// default, 'firstEntryJson', is otherwise sent to Brevo as literal text).
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

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const settings = await readTriggerSettings(this);
		// From here to commit() nothing awaits: within one n8n process, two calls for the same
		// message cannot both see it as new.
		const store = openConversationStore(this, Date.now());
		const outcome = handleWebhookRequest({ body: this.getBodyData(), query: this.getQueryData() }, settings, store);
		if (outcome.action === 'reject') {
			respondJson(this.getResponseObject() as ResponseWriter, outcome.status, outcome.body);
			return { noWebhookResponse: true };
		}
		store.commit(outcome.remember);
		if (outcome.action === 'ignore') {
			logIgnored(this, outcome);
			return { webhookResponse: outcome.body };
		}
		const webhookResponse = { message: 'Workflow was started', eventName: outcome.event.eventName };

		// Only past the token check: an unauthenticated caller cannot make n8n fetch a URL.
		const downloadSettings = readFileDownloadSettings(this);
		if (downloadSettings === undefined) return { workflowData: [this.helpers.returnJsonArray(outcome.json)], webhookResponse };
		const files = visitorMessagesOf(outcome.event).flatMap(filesOf);
		const { binary, downloadedFiles, skippedFiles } = await downloadVisitorFiles(this, files, downloadSettings);
		const item: INodeExecutionData = { json: { ...outcome.json, downloadedFiles, skippedFiles }, binary };
		return { workflowData: [[item]], webhookResponse };
	}
}
