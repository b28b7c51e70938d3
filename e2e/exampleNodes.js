'use strict';
/**
 * Checks a workflow's n8n-nodes-base nodes against the node descriptions of an installed n8n
 * runtime, the way its editor reads them (n8n-nodes-base/dist/types/nodes.json): the node type and
 * typeVersion exist, every parameter set is one that n8n keeps for those settings (n8n's own
 * NodeHelpers.getNodeParameters drops the others silently on import), every fixed option value is
 * one of the offered options, and the credential types are the node's. `n8n import:workflow`
 * accepts all of these mistakes without a word, so the e2e suite runs this on every example.
 */
const path = require('node:path');

const BASE_PREFIX = 'n8n-nodes-base.';

/** The runtime's node descriptions and n8n-workflow, found from its n8n CLI script. */
function loadRuntimeNodes(n8nBin) {
	const paths = [path.dirname(n8nBin)];
	const basePkg = require.resolve('n8n-nodes-base/package.json', { paths });
	const descriptions = require(path.join(path.dirname(basePkg), 'dist', 'types', 'nodes.json'));
	const { NodeHelpers } = require(require.resolve('n8n-workflow', { paths: [path.dirname(basePkg)] }));
	return { descriptions, NodeHelpers };
}

const hasVersion = (description, version) =>
	Array.isArray(description.version) ? description.version.includes(version) : description.version === version;

/** Problems of one workflow's n8n-nodes-base nodes, as readable strings (empty when none). */
function exampleNodeProblems(runtimeNodes, workflow) {
	const { descriptions, NodeHelpers } = runtimeNodes;
	const problems = [];
	for (const node of workflow.nodes) {
		if (!node.type.startsWith(BASE_PREFIX)) continue;
		const name = node.type.slice(BASE_PREFIX.length);
		const where = `${workflow.name} → "${node.name}" (${node.type} v${node.typeVersion})`;
		const description = descriptions.find((d) => d.name === name && hasVersion(d, node.typeVersion));
		if (!description) {
			problems.push(`${where}: no such node type and version`);
			continue;
		}
		const nodeForHelpers = { ...node, parameters: node.parameters ?? {} };
		const kept = NodeHelpers.getNodeParameters(description.properties, nodeForHelpers.parameters, true, false, nodeForHelpers, description) ?? {};
		for (const [key, value] of Object.entries(nodeForHelpers.parameters)) {
			if (!(key in kept)) {
				problems.push(`${where}: parameter "${key}" is unknown for these settings`);
				continue;
			}
			if (typeof value !== 'string' || value.startsWith('=')) continue;
			const shown = description.properties.filter(
				(p) => p.name === key && p.type === 'options' && NodeHelpers.displayParameter(nodeForHelpers.parameters, p, nodeForHelpers, description),
			);
			if (shown.length && !shown.some((p) => p.options.some((o) => o.value === value))) {
				problems.push(`${where}: "${value}" is not an option of "${key}"`);
			}
		}
		const credentialTypes = (description.credentials ?? []).map((c) => c.name);
		for (const type of Object.keys(node.credentials ?? {})) {
			if (!credentialTypes.includes(type)) problems.push(`${where}: credential type "${type}" is not one of ${credentialTypes.join(', ')}`);
		}
	}
	return problems;
}

module.exports = { loadRuntimeNodes, exampleNodeProblems };
