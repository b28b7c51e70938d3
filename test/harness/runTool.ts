/**
 * Runs the node as an AI agent's tool through n8n-core's real WorkflowExecute, the way n8n 2.x runs
 * tools: the agent node returns an engine request naming the tool node and the arguments the model
 * chose, the engine runs the tool node (declarative routing, $fromAI read from those arguments) and
 * resumes the agent with the tool's run. The agent here is a stub that returns what n8n's AI Agent
 * hands the model as the tool result: the JSON of the tool's output items (n8n's buildSteps).
 *
 * Doubles, as in runNode.ts: the node-type registry (the tool variant is made as n8n's
 * convertNodeToAiTool makes it: `<name>Tool`, no main input, an ai_tool output) and the credentials helper.
 */
import {
	Workflow,
	type EngineRequest,
	type EngineResponse,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
} from 'n8n-workflow';
import { ManualTrigger, TestCredentialsHelper, execute, loadNodeType, registryOf, triggerNode, withDefaults } from './runNode';

export const TOOL_NODE_NAME = 'Reply to visitor';
const TOOL_TYPE = 'n8n-nodes-brevo-conversations.brevoConversationsTool';

/** Calls the tool once with `toolArguments`, then outputs the tool result the model would read. */
function stubAgent(toolArguments: IDataObject): INodeType {
	return {
		description: {
			displayName: 'Agent',
			name: 'agent',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main', 'ai_tool'],
			outputs: ['main'],
			properties: [],
		} as never,
		async execute(this: IExecuteFunctions, response?: EngineResponse): Promise<INodeExecutionData[][] | EngineRequest> {
			const [answer] = response?.actionResponses ?? [];
			if (!answer) {
				return {
					actions: [
						{
							actionType: 'ExecutionNodeAction',
							nodeName: TOOL_NODE_NAME,
							input: toolArguments,
							type: 'ai_tool',
							id: 'call_1',
							metadata: { itemIndex: 0 },
						},
					],
					metadata: {},
				};
			}
			const items = answer.data.data?.ai_tool?.[0] ?? [];
			return [[{ json: { toolResult: JSON.stringify(items.map((item) => item.json)) } }]];
		},
	} as INodeType;
}

/** The node as n8n offers it to an agent: n8n's convertNodeToAiTool renames it and rewires its connections. */
function loadToolType(): INodeType {
	const nodeType = loadNodeType();
	nodeType.description = {
		...nodeType.description,
		name: `${nodeType.description.name}Tool`,
		displayName: `${nodeType.description.displayName} Tool`,
		inputs: [],
		outputs: ['ai_tool'],
	};
	return nodeType;
}

export interface ToolRun {
	/** The tool result the model reads, as n8n's agent serialises it */
	toolResult: string;
	/** The workflow's error, if the tool's failure stopped it */
	error: unknown;
}

/** One tool call: the model's `toolArguments` into a tool node with `parameters` ($fromAI where the model fills in). */
export async function runTool(options: {
	parameters: INodeParameters;
	toolArguments: IDataObject;
	credentials: ICredentialDataDecryptedObject;
}): Promise<ToolRun> {
	const trigger = triggerNode();
	const agent: INode = { id: 'agent', name: 'Agent', type: 'test.agent', typeVersion: 1, position: [200, 0], parameters: {} };
	const tool: INode = {
		id: 'tool',
		name: TOOL_NODE_NAME,
		type: TOOL_TYPE,
		typeVersion: 1,
		position: [200, 200],
		parameters: options.parameters,
		credentials: { brevoConversationsApi: { id: 'cred-1', name: 'Brevo Conversations account' } },
	};
	const types: Record<string, INodeType> = {
		'test.trigger': new ManualTrigger(),
		'test.agent': stubAgent(options.toolArguments),
		[TOOL_TYPE]: loadToolType(),
	};
	const workflow = new Workflow({
		id: 'wf-tool-test',
		nodes: [trigger, agent, tool],
		connections: {
			Trigger: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			[TOOL_NODE_NAME]: { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		active: false,
		// As n8n saves new workflows; the engine runs a requested tool before resuming the agent.
		settings: { executionOrder: 'v1' },
		nodeTypes: registryOf(types),
	});
	withDefaults(tool, types[TOOL_TYPE]);
	const run = await execute(workflow, new TestCredentialsHelper(options.credentials), [{}]);
	const [item] = run.data.resultData.runData.Agent?.at(-1)?.data?.main?.[0] ?? [];
	return { toolResult: String(item?.json.toolResult ?? ''), error: run.data.resultData.error };
}
