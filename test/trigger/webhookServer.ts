/**
 * Serves the Brevo Conversations Trigger on 127.0.0.1 the way n8n's webhook server does, minus
 * express: each POST becomes a real http.IncomingMessage with `body` and `query` attached, n8n-core's
 * real WebhookContext wraps it (getBodyData, getQueryData, getNodeParameter with the saved
 * parameters, getResponseObject = the real http.ServerResponse), the node's own webhook() runs, and
 * its result is answered like n8n's handleImmediateWebhookResponse (cli/src/webhooks/webhook-helpers.ts):
 * - noWebhookResponse: the node already wrote the response; the static data is saved, then the
 *   workflow starts if the node returned workflowData (n8n's order);
 * - no workflowData: 200 with webhookResponse, or {"message":"Webhook call received"};
 * - workflowData: the workflow starts (recorded in `started`), 200 with webhookResponse, or
 *   {"message":"Workflow was started"}.
 * Workflow static data is kept as n8n keeps it for a production webhook: each call gets a new
 * Workflow loaded with the saved static data, which is saved back whole after the call when the
 * node changed it (LiveWebhooks → WorkflowStaticDataService.saveStaticData). Overlapping calls
 * therefore load the same old data, as in n8n. `restart()` loads the node's code anew, as a new
 * n8n process would. `startingCallsNotSaved` copies n8n 2.41.1, where a call that starts an
 * execution is not saved (docs/trigger.md, What the trigger remembers).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookContext } from 'n8n-core';
import { parse as parseQueryString } from 'qs';
import {
	NodeHelpers,
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { BrevoConversationsTrigger } from '../../nodes/BrevoConversationsTrigger/BrevoConversationsTrigger.node';
import { TestCredentialsHelper } from '../harness/runNode';

export const TRIGGER_TYPE = 'n8n-nodes-brevo-conversations.brevoConversationsTrigger';
export const WEBHOOK_ID = '5b0f3c52-7a8e-4f7e-9d1a-2c6b1e0f9a11';

export interface Reply {
	status: number;
	body: unknown;
}

/** The trigger's module loaded anew, as a new n8n process has it: nothing in its module state. */
function loadedAnew(): INodeType {
	let nodeType: INodeType | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const reloaded = require('../../nodes/BrevoConversationsTrigger/BrevoConversationsTrigger.node') as {
			BrevoConversationsTrigger: new () => INodeType;
		};
		nodeType = new reloaded.BrevoConversationsTrigger();
	});
	return nodeType!;
}

export const WEBHOOK_CREDENTIAL = { id: 'webhookCred00001', name: 'Brevo Conversations webhook' };

/**
 * The trigger node as saved by the editor: parameter defaults filled in; version 2 (the default)
 * names its webhook credential, as the editor saves it.
 */
export function savedTriggerNode(
	parameters: INodeParameters,
	nodeType: INodeType = new BrevoConversationsTrigger(),
	typeVersion = 2,
): INode {
	const node: INode = {
		id: 'trigger',
		name: 'Brevo Conversations Trigger',
		type: TRIGGER_TYPE,
		typeVersion,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters,
		...(typeVersion >= 2 ? { credentials: { brevoConversationsWebhookApi: WEBHOOK_CREDENTIAL } } : {}),
	};
	node.parameters =
		NodeHelpers.getNodeParameters(nodeType.description.properties, parameters, true, false, node, nodeType.description) ?? {};
	return node;
}

/**
 * The query as n8n's webhook server hands it to the node: express with `app.set('query parser',
 * 'extended')` (n8n's abstract-server.js), which in express 5 is `qs.parse(query, { allowPrototypes: true })`.
 * So `?token[]=a` is a list, `?token[a]=b` an object and a repeated `token` a list.
 */
function parseQuery(url: string): IDataObject {
	const search = new URL(url, 'http://127.0.0.1').search.slice(1);
	return parseQueryString(search, { allowPrototypes: true }) as IDataObject;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const raw = Buffer.concat(chunks).toString('utf8');
	if (!(req.headers['content-type'] ?? '').includes('json') || raw === '') return raw;
	try {
		return JSON.parse(raw);
	} catch {
		// n8n refuses unparsable JSON itself; handing the text on checks the node refuses it too.
		return raw;
	}
}

export class TriggerWebhookServer {
	readonly started: INodeExecutionData[][][] = [];

	private server?: Server;

	private nodeType: INodeType = new BrevoConversationsTrigger();

	/** The static data as n8n's database holds it between calls */
	savedStaticData: IDataObject = {};

	/** How often a call changed the static data (n8n writes the workflow's row each time) */
	staticDataSaves = 0;

	/**
	 * As n8n 2.41.1: the execution's Workflow, built from the same static data object, resets its
	 * changed flag before the webhook call's save, so a call that starts an execution saves nothing.
	 */
	startingCallsNotSaved = false;

	private node: INode = savedTriggerNode({});

	private workflow = this.buildWorkflow();

	/** The trigger's module loaded anew: what n8n has after a restart is only the saved static data. */
	restart(): void {
		this.nodeType = loadedAnew();
	}

	/** The n8n processes that serve this webhook (their own module instances), by name; `current` takes the calls. */
	private processes = new Map<string, INodeType>();

	private current = 'A';

	/**
	 * Sends the next calls to another n8n process (a second webhook process in queue mode): the
	 * same database, its own copy of the node's module. Started on first use.
	 */
	useProcess(name: string): void {
		this.processes.set(this.current, this.nodeType);
		this.current = name;
		this.nodeType = this.processes.get(name) ?? loadedAnew();
	}

	private credentials = new TestCredentialsHelper({});

	url = '';

	/**
	 * Sets the node's parameters and its credential's token, as if the user edited and saved the
	 * workflow (version 2 by default; version 1 keeps its token in the `secret` parameter).
	 */
	configure(parameters: INodeParameters, { token, typeVersion = 2 }: { token?: string; typeVersion?: number } = {}): void {
		// A new n8n process for each configuration: nothing remembered from an earlier test.
		this.processes.clear();
		this.current = 'A';
		this.restart();
		this.node = savedTriggerNode(parameters, this.nodeType, typeVersion);
		this.credentials = new TestCredentialsHelper(token === undefined ? {} : { token });
		this.workflow = this.buildWorkflow();
		this.started.length = 0;
		this.savedStaticData = {};
		this.staticDataSaves = 0;
		this.startingCallsNotSaved = false;
	}

	/** How often the trigger read its credential (n8n decrypts it from its database each time) */
	get credentialReads(): number {
		return this.credentials.reads;
	}

	private buildWorkflow(): Workflow {
		const nodeType = this.nodeType;
		return new Workflow({
			id: 'wf-trigger-test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: {
				getByName: () => nodeType,
				getByNameAndVersion: () => nodeType,
				getKnownTypes: () => ({}),
			},
			staticData: structuredClone(this.savedStaticData),
		});
	}

	/** As n8n after a webhook call: the whole static data is written when the node changed it. */
	private saveStaticData(workflow: Workflow): void {
		if (workflow.staticData.__dataChanged !== true) return;
		const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		delete saved.__dataChanged;
		this.savedStaticData = saved;
		this.staticDataSaves++;
	}

	async start(): Promise<string> {
		this.server = createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ harnessError: String(error) }));
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}/webhook/${WEBHOOK_ID}/webhook`;
		return this.url;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const request = Object.assign(req, { body: await readBody(req), query: parseQuery(req.url ?? '/') });
		const workflow = (this.workflow = this.buildWorkflow());
		const additionalData = {
			credentialsHelper: this.credentials,
			httpRequest: request,
			httpResponse: res,
			variables: {},
			executionId: undefined,
			webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
			formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		} as unknown as IWorkflowExecuteAdditionalData;
		const webhookDescription = this.nodeType.description.webhooks![0];
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: this.node.name,
			path: `${WEBHOOK_ID}/${webhookDescription.path}`,
			webhookDescription,
			workflowId: this.workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: WEBHOOK_ID,
		};
		const context = new WebhookContext(workflow, this.node, additionalData, 'webhook', webhookData, [], null);
		const result = await this.nodeType.webhook!.call(context);
		if (result.noWebhookResponse === true) {
			// n8n calls its response callback, where it saves, before it starts the execution.
			this.saveStaticData(workflow);
			if (!res.writableEnded) throw new Error('noWebhookResponse without a response written');
			if (result.workflowData !== undefined) this.started.push(result.workflowData);
			return;
		}
		if (!(this.startingCallsNotSaved && result.workflowData !== undefined)) this.saveStaticData(workflow);

		if (res.headersSent) throw new Error('the node wrote a response but did not say so');
		if (result.workflowData !== undefined) this.started.push(result.workflowData);
		const body =
			result.workflowData !== undefined
				? (result.webhookResponse ?? { message: 'Workflow was started' })
				: (result.webhookResponse ?? { message: 'Webhook call received' });
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify(body));
	}

	/** POSTs like Brevo: JSON unless `raw` says otherwise. */
	async post(body: unknown, options: { token?: string; query?: string; raw?: string; contentType?: string } = {}): Promise<Reply> {
		const query = options.query ?? (options.token === undefined ? '' : `?token=${encodeURIComponent(options.token)}`);
		const response = await fetch(this.url + query, {
			method: 'POST',
			headers: { 'Content-Type': options.contentType ?? 'application/json' },
			body: options.raw ?? JSON.stringify(body),
		});
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON; keep the text
		}
		return { status: response.status, body: parsed };
	}

	/** The items of the last started execution (main output 0). */
	lastItems(): INodeExecutionData[] {
		const last = this.started[this.started.length - 1];
		if (!last) throw new Error('no workflow was started');
		return last[0];
	}
}
