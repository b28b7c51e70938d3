/**
 * Runs a two-node workflow (manual trigger → Brevo Conversations) through n8n-core's real
 * WorkflowExecute, so RoutingNode builds and sends every request exactly as in n8n. The only doubles
 * are the node-type registry and a credentials helper that hands out test credentials and calls
 * the credential's own authenticate().
 */
import { DirectoryLoader, ExecutionLifecycleHooks, RoutingNode, WorkflowExecute, type ExecuteContext } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentialsExpressionResolveValues,
	type IExecuteData,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { BrevoConversationsApi } from '../../credentials/BrevoConversationsApi.credentials';
import { BrevoConversations } from '../../nodes/BrevoConversations/BrevoConversations.node';

export const NODE_NAME = 'Brevo Conversations';
const NODE_TYPE = 'n8n-nodes-brevo-conversations.brevoConversations';

export class ManualTrigger implements INodeType {
	description = {
		displayName: 'Trigger',
		name: 'trigger',
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: {},
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as never;

	async execute(this: IExecuteFunctions) {
		return [this.getInputData()];
	}
}

/** Hands out the test credentials and applies the credential's own authenticate(). */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly credentialType = new BrevoConversationsApi();

	/** How often n8n read (and would have decrypted) the credential */
	reads = 0;

	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	/**
	 * As n8n's CredentialsHelper: a credential field may hold an expression, resolved for the item
	 * that asks (`expressionResolveValues` carries its index); without them (outside an item) it is
	 * returned as stored.
	 */
	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: unknown,
		_type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		_raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	) {
		this.reads++;
		const data = structuredClone(this.data);
		if (!expressionResolveValues) return data;
		const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } = expressionResolveValues;
		return workflow.expression.getParameterValue(
			data as INodeParameters,
			runExecutionData,
			runIndex,
			itemIndex,
			node.name,
			connectionInputData,
			mode,
			{},
			executeData,
			false,
			data,
		) as ICredentialDataDecryptedObject;
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, _type: string, request: IHttpRequestOptions) {
		return await this.credentialType.authenticate(credentials, request);
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	getCredentialsProperties() {
		return this.credentialType.properties;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by declarative nodes');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}
}

/** The node as n8n's loader prepares it (adds the Request Options settings collection). */
export function loadNodeType(): INodeType {
	const nodeType = new BrevoConversations();
	DirectoryLoader.applyDeclarativeNodeOptionParameters(nodeType);
	return nodeType;
}

export interface RunOptions {
	parameters: INodeParameters;
	input: IDataObject[];
	credentials: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	/**
	 * Called once the run has started, with what n8n calls when a user stops the execution: the
	 * cancel() of WorkflowExecute's run, which aborts the signal nodes read (getExecutionCancelSignal).
	 */
	whileRunning?: (cancel: () => void) => void;
}

export interface RunResult {
	run: IRun;
	/** The node's output items (main output 0) */
	output: INodeExecutionData[];
	/** The error that stopped the workflow, as n8n stores it */
	error: IRun['data']['resultData']['error'];
	/** How often the node's run read the credential (n8n decrypts it from its database each time) */
	credentialReads: number;
}

/** The workflow's first node: outputs the items it is given. */
export function triggerNode(): INode {
	return { id: 'trigger', name: 'Trigger', type: 'test.trigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

/**
 * As n8n's NodeTypes.getByNameAndVersion: a declarative node gets an `execute` that runs n8n-core's
 * RoutingNode in the node's ExecuteContext. Without it WorkflowExecute runs the node through its
 * test-only path, whose context has no cancel signal (stopping the execution would not reach the node).
 */
function withRoutingExecute(nodeType: INodeType): INodeType {
	const declarative = nodeType.description.requestDefaults !== undefined;
	if (declarative && !nodeType.execute && !nodeType.supplyData && !nodeType.poll && !nodeType.trigger) {
		nodeType.execute = async function (this: IExecuteFunctions) {
			// n8n hands RoutingNode the ExecuteContext this function runs in.
			return (await new RoutingNode(this as ExecuteContext, nodeType).runNode()) ?? [];
		};
	}
	return nodeType;
}

/** The node-type registry double: n8n's loader would have registered exactly these types. */
export function registryOf(types: Record<string, INodeType>) {
	return {
		getByName: (type: string) => types[type],
		getByNameAndVersion: (type: string, version?: number) =>
			withRoutingExecute(NodeHelpers.getVersionedNodeType(types[type], version)),
		getKnownTypes: () => ({}),
	};
}

/** Fills in the parameter defaults of `node`, as the editor does when it saves a workflow. */
export function withDefaults(node: INode, nodeType: INodeType): void {
	node.parameters =
		NodeHelpers.getNodeParameters(nodeType.description.properties, node.parameters, true, false, node, nodeType.description) ?? {};
}

/** Runs `workflow` from its trigger with `input` items in n8n-core's WorkflowExecute. */
export async function execute(
	workflow: Workflow,
	credentialsHelper: TestCredentialsHelper,
	input: IDataObject[],
	whileRunning?: RunOptions['whileRunning'],
): Promise<IRun> {
	const additionalData = {
		credentialsHelper,
		hooks: new ExecutionLifecycleHooks('manual', 'exec-test', { nodes: [], connections: {} } as never),
		variables: {},
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		executionId: 'exec-test',
	} as unknown as IWorkflowExecuteAdditionalData;
	const trigger = workflow.getNode('Trigger') as INode;
	const data = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: trigger, data: { main: [input.map((json) => ({ json }))] }, source: null }] },
	});
	// A PCancelable, as n8n's ActiveExecutions holds it: cancel() is how n8n stops a running execution.
	const running = new WorkflowExecute(additionalData, 'manual', data).processRunExecutionData(workflow);
	whileRunning?.(() => running.cancel());
	return await running;
}

export async function runNode(options: RunOptions): Promise<RunResult> {
	const trigger = triggerNode();
	const node: INode = {
		id: 'brevo',
		name: NODE_NAME,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters,
		continueOnFail: options.continueOnFail,
		credentials: { brevoConversationsApi: { id: 'cred-1', name: 'Brevo Conversations account' } },
	};
	const types: Record<string, INodeType> = { 'test.trigger': new ManualTrigger(), [NODE_TYPE]: loadNodeType() };
	const workflow = new Workflow({
		id: 'wf-test',
		nodes: [trigger, node],
		connections: { Trigger: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes: registryOf(types),
	});
	withDefaults(node, types[NODE_TYPE]);
	const credentialsHelper = new TestCredentialsHelper(options.credentials);
	const run = await execute(workflow, credentialsHelper, options.input, options.whileRunning);
	return {
		run,
		error: run.data.resultData.error,
		output: run.data.resultData.runData[NODE_NAME]?.[0]?.data?.main?.[0] ?? [],
		credentialReads: credentialsHelper.reads,
	};
}
