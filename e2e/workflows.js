'use strict';
/**
 * Workflow JSON for the e2e suite: small builders, and the examples made runnable from the CLI.
 * `n8n execute`/`execute-batch` only start at a Manual Trigger and ignore pinned data, so a Webhook
 * trigger becomes a Manual Trigger plus a Set node of the same name that outputs the example's
 * pinned sample, and a Schedule Trigger becomes a Manual Trigger of the same name. Everything
 * after the trigger is the example exactly as a user imports it.
 */
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const NODE_TYPE = 'n8n-nodes-brevo-conversations.brevoConversations';
const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');

let nodeCounter = 0;
const nodeId = () => `00000000-0000-4000-8000-${String(++nodeCounter).padStart(12, '0')}`;

function manualTrigger(name = 'Start') {
	return { id: nodeId(), name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

/** A Set node (raw JSON mode) whose single output item is `json`. */
function setJson(name, json) {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [200, 0],
		parameters: { mode: 'raw', jsonOutput: JSON.stringify(json), options: {} },
	};
}

function brevoNode(name, parameters, { credentialId, onError } = {}) {
	return {
		id: nodeId(),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [600, 0],
		parameters: { options: {}, ...parameters },
		credentials: { brevoConversationsApi: { id: credentialId, name: credentialId } },
		...(onError ? { onError } : {}),
	};
}

/** Connects the nodes one after the other. */
function chain(id, name, nodes) {
	const connections = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	// n8n 1.x refuses to import a workflow without a versionId.
	return { id, name, versionId: randomUUID(), nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

/** Start → one Brevo node. */
function singleNodeWorkflow(id, parameters, options) {
	return chain(id, `e2e ${id}`, [manualTrigger(), brevoNode('Brevo', parameters, options)]);
}

/** Start → Make Items (Set: {items}) → Split Out → one Brevo node: one Brevo input item per entry of `items`. */
function itemsWorkflow(id, items, parameters, options) {
	const splitOut = {
		id: nodeId(),
		name: 'Items',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [400, 0],
		parameters: { fieldToSplitOut: 'items', options: {} },
	};
	return chain(id, `e2e ${id}`, [manualTrigger(), setJson('Make Items', { items }), splitOut, brevoNode('Brevo', parameters, options)]);
}

function readExample(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

/** The example with its trigger replaced by what the CLI can start (see the top of this file). */
function runnableExample(file) {
	const workflow = readExample(file);
	const nodes = [];
	const connections = { ...workflow.connections };
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.webhook') {
			const sample = workflow.pinData?.[node.name]?.[0]?.json;
			if (!sample) throw new Error(`${file}: the Webhook node "${node.name}" has no pinned sample`);
			const start = manualTrigger('Start (e2e)');
			nodes.push(start, { ...setJson(node.name, sample), position: node.position });
			connections[start.name] = { main: [[{ node: node.name, type: 'main', index: 0 }]] };
		} else if (node.type === 'n8n-nodes-base.scheduleTrigger') {
			nodes.push({ ...manualTrigger(node.name), position: node.position });
		} else {
			nodes.push(node);
		}
	}
	// Pinned data would replace the node's real run; the samples were used above.
	const rest = { ...workflow };
	delete rest.pinData;
	return { ...rest, nodes, connections };
}

/**
 * The example with its trigger (a shop trigger or a Webhook) replaced by Manual Trigger → Set →
 * Split Out named like the trigger, which outputs `payloads` as the trigger's items: the shop's
 * webhook bodies (WooCommerce and Shopify triggers output the body as is) or Webhook node items.
 */
function exampleWithPayloads(file, id, payloads) {
	const workflow = readExample(file);
	const trigger = workflow.nodes.find((n) => /trigger$|\.webhook$/i.test(n.type) && !n.type.endsWith('manualTrigger'));
	const start = manualTrigger('Start (e2e)');
	const make = { ...setJson('Payloads (e2e)', { payloads }), position: [-200, 200] };
	const split = {
		id: nodeId(),
		name: trigger.name,
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: trigger.position,
		parameters: { fieldToSplitOut: 'payloads', options: {} },
	};
	const nodes = [start, make, split, ...workflow.nodes.filter((n) => n !== trigger)];
	const connections = {
		...workflow.connections,
		[start.name]: { main: [[{ node: make.name, type: 'main', index: 0 }]] },
		[make.name]: { main: [[{ node: split.name, type: 'main', index: 0 }]] },
	};
	const rest = { ...workflow };
	delete rest.pinData;
	return { ...rest, id, name: `${workflow.name} (e2e ${id})`, versionId: randomUUID(), nodes, connections };
}

const WEBHOOK_CREDENTIAL_TYPE = 'brevoConversationsWebhookApi';

/**
 * examples/visitor-reply.json ready to import and activate: its trigger protected by `token` (a
 * Trigger v1 takes it as the Secret parameter; v2 from its Brevo Conversations Webhook API
 * credential) and its reply sent with an API key to `baseUrl`. Returns the workflow, the trigger's
 * webhook path and the credentials to import (`n8n import:credentials` format).
 */
/** The Brevo Conversations Trigger node of a workflow. */
const triggerNodeOf = (workflow) => workflow.nodes.find((n) => n.type.endsWith('.brevoConversationsTrigger'));

function visitorReplyExample({ id, token, apiKey, baseUrl }) {
	const workflow = { ...readExample('visitor-reply.json'), id, versionId: randomUUID() };
	const trigger = triggerNodeOf(workflow);
	const reply = workflow.nodes.find((n) => n.type === NODE_TYPE);
	const credentials = [{ ...reply.credentials.brevoConversationsApi, type: 'brevoConversationsApi', data: { apiKey, partnerKey: '', baseUrl } }];
	if (trigger.typeVersion >= 2) {
		credentials.push({ ...trigger.credentials[WEBHOOK_CREDENTIAL_TYPE], type: WEBHOOK_CREDENTIAL_TYPE, data: { token } });
	} else {
		trigger.parameters.secret = token;
	}
	return { workflow, webhookPath: `${trigger.webhookId}/webhook`, credentials };
}

module.exports = { NODE_TYPE, EXAMPLES_DIR, singleNodeWorkflow, itemsWorkflow, readExample, runnableExample, exampleWithPayloads, visitorReplyExample, triggerNodeOf };
