'use strict';
/**
 * The two proposals of docs/upstream/ as edits of n8n 2.41.1's published JavaScript (the bench and
 * the equivalence test run n8n's dist, not its TypeScript). Each edit names a file under the
 * runtime's node_modules, a text that must occur in it exactly once, and its replacement; a file
 * that does not match (another n8n version) fails loudly instead of being half-patched.
 *
 * The TypeScript pull requests in docs/upstream/*.md make the same changes to n8n's source.
 */

/**
 * Proposal 1 (docs/upstream/routing-node-value.md): RoutingNode evaluates a top-level parameter
 * before getRequestOptionsFromParameters only when that function can pass the result on as
 * `$value` to something that reads it: a collection or fixedCollection. Every other path replaces
 * `$value` first (routing with the parameter's own value, options with the chosen option).
 */
const TOP_LEVEL_READABLE = `
/** Whether getRequestOptionsFromParameters can hand a top-level \`$value\` to anything that reads it. */
function topLevelValueIsReadable(property) {
    return property.type === 'collection' || property.type === 'fixedCollection';
}
class RoutingNode {`;

const routingNode = {
	name: 'routing',
	title: 'RoutingNode: no top-level `$value` evaluation that nothing reads',
	doc: 'docs/upstream/routing-node-value.md',
	edits: [
		{
			file: 'n8n-core/dist/execution-engine/routing-node.js',
			find: '\nclass RoutingNode {',
			replace: TOP_LEVEL_READABLE,
		},
		{
			file: 'n8n-core/dist/execution-engine/routing-node.js',
			find: `                for (const property of nodeType.description.properties) {
                    let value = (0, get_1.default)(node.parameters, property.name, []);
                    value = this.getParameterValue(value, itemIndex, runIndex, executeData, { ...additionalKeys, $credentials: credentials, $version: node.typeVersion }, false);`,
			replace: `                for (const property of nodeType.description.properties) {
                    let value;
                    if (topLevelValueIsReadable(property)) {
                        value = (0, get_1.default)(node.parameters, property.name, []);
                        value = this.getParameterValue(value, itemIndex, runIndex, executeData, { ...additionalKeys, $credentials: credentials, $version: node.typeVersion }, false);
                    }`,
		},
		{
			file: 'n8n-core/dist/execution-engine/routing-node.js',
			find: `        for (const property of nodeType.description.properties) {
            let value = (0, get_1.default)(node.parameters, property.name, []);
            value = this.getParameterValue(value, itemIndex, runIndex, executeData, parameterKeys, false);`,
			replace: `        for (const property of nodeType.description.properties) {
            let value;
            if (topLevelValueIsReadable(property)) {
                value = (0, get_1.default)(node.parameters, property.name, []);
                value = this.getParameterValue(value, itemIndex, runIndex, executeData, parameterKeys, false);
            }`,
		},
	],
};

/**
 * Proposal 2 (docs/upstream/webhook-isolates.md):
 *  a) the webhook phase of a node whose parameters are static and whose webhook descriptions
 *     resolve without the engine opens a *lazy* isolate scope (built on the first evaluation, so
 *     never for a node whose own webhook() code evaluates nothing); n8n's Webhook node keeps its
 *     exemption, anything else keeps today's eager acquisition;
 *  b) CredentialsHelper.applyDefaultsAndOverwrites acquires an isolate only when the credential
 *     holds an expression.
 * (a) needs a per-call lazy option on ExpressionEvaluator.acquire, passed through n8n-workflow.
 */
const webhookIsolates = {
	name: 'webhook',
	title: 'Webhook phase and credential reads: an isolate only when an expression is evaluated',
	doc: 'docs/upstream/webhook-isolates.md',
	edits: [
		{
			file: '@n8n/expression-runtime/dist/cjs/evaluator/expression-evaluator.js',
			find: `    async acquire(caller) {`,
			replace: `    async acquire(caller, options) {`,
		},
		{
			file: '@n8n/expression-runtime/dist/cjs/evaluator/expression-evaluator.js',
			find: `        if (this.config.lazyAcquire) {`,
			replace: `        if (this.config.lazyAcquire || options?.lazy) {`,
		},
		{
			file: 'n8n-workflow/dist/cjs/expression.js',
			find: `    async acquireIsolate() {
        if (Expression.vmEvaluator)
            return await Expression.vmEvaluator.acquire(this);`,
			replace: `    async acquireIsolate(options) {
        if (Expression.vmEvaluator)
            return await Expression.vmEvaluator.acquire(this, options);`,
		},
		{
			file: 'n8n-workflow/dist/cjs/workflow-expression.js',
			find: `    async acquireIsolate() {
        return await this.expression.acquireIsolate();`,
			replace: `    async acquireIsolate(options) {
        return await this.expression.acquireIsolate(options);`,
		},
		{
			file: 'n8n/dist/webhooks/live-webhooks.js',
			find: `        if (this.webhookPhaseNeedsIsolate(startNode)) {
            await workflow.expression.acquireIsolate();
        }`,
			replace: `        const isolate = this.webhookPhaseIsolate(startNode);
        if (isolate !== 'none') {
            await workflow.expression.acquireIsolate({ lazy: isolate === 'lazy' });
        }`,
		},
		{
			file: 'n8n/dist/webhooks/live-webhooks.js',
			find: `    webhookPhaseNeedsIsolate(startNode) {`,
			replace: `    webhookPhaseIsolate(startNode) {
        if (!this.expressionEngineConfig.allowWebhookIsolateSkip)
            return 'eager';
        if (startNode === null)
            return 'eager';
        if (startNode.type === n8n_workflow_1.WEBHOOK_NODE_TYPE && startNode.typeVersion === 1)
            return 'eager';
        if (!(0, n8n_workflow_1.nodeParametersAreStatic)(startNode))
            return 'eager';
        const webhooks = this.nodeTypes.getByNameAndVersion(startNode.type, startNode.typeVersion)
            ?.description.webhooks;
        if (!webhooks?.length || !webhooks.every(n8n_workflow_1.webhookDescriptionIsNativelyResolvable))
            return 'eager';
        return startNode.type === n8n_workflow_1.WEBHOOK_NODE_TYPE ? 'none' : 'lazy';
    }
    webhookPhaseNeedsIsolate(startNode) {`,
		},
		{
			file: 'n8n/dist/credentials-helper.js',
			find: `            await workflow.expression.acquireIsolate();
            try {
                decryptedData = this.resolveCredentialExpressions(workflow, credentialsProperties, decryptedData, mode, additionalKeys);
            }
            finally {
                await workflow.expression.releaseIsolate();
            }`,
			replace: `            const needsEngine = !(0, n8n_workflow_1.nodeParametersAreStatic)({ parameters: decryptedData });
            if (needsEngine)
                await workflow.expression.acquireIsolate();
            try {
                decryptedData = this.resolveCredentialExpressions(workflow, credentialsProperties, decryptedData, mode, additionalKeys);
            }
            finally {
                if (needsEngine)
                    await workflow.expression.releaseIsolate();
            }`,
		},
	],
};

const PROPOSALS = { routing: routingNode, webhook: webhookIsolates };

/** Applies `edits` to a text; throws unless each `find` occurs exactly once. */
function applyEdits(file, text, edits) {
	let out = text;
	for (const { find, replace } of edits) {
		const first = out.indexOf(find);
		if (first < 0 || out.indexOf(find, first + 1) >= 0) {
			throw new Error(`${file}: the text to patch occurs ${first < 0 ? 'nowhere' : 'more than once'}: ${find.split('\n')[0].trim()}`);
		}
		out = out.slice(0, first) + replace + out.slice(first + find.length);
	}
	return out;
}

/** The edits of a proposal grouped by file: { file: [edit, …] }. */
function editsByFile(proposal) {
	const files = {};
	for (const edit of proposal.edits) (files[edit.file] ??= []).push(edit);
	return files;
}

module.exports = { PROPOSALS, applyEdits, editsByFile };
