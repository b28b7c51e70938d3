'use strict';
/**
 * Every declarative node of an n8n runtime's n8n-nodes-base (a node without execute/poll/trigger/
 * webhook methods, so n8n runs it through RoutingNode), each version, and for each a parameter set
 * per resource × operation, filled the way a user would: every shown top-level string and number
 * mapped by an expression from the item, every option of a shown collection set, one entry in
 * every fixedCollection, resource locators by their first mode. For routing-equivalence.test.js.
 */
const fs = require('node:fs');
const path = require('node:path');

/** Item fields the expressions below read. */
const ITEMS = [
	{ s: 'alpha', n: 7 },
	{ s: 'beta', n: 9 },
];
const STRING = '={{ $json.s }}';
const NUMBER = '={{ $json.n }}';

/** The files of n8n-nodes-base whose folder mentions declarative routing (cheap pre-filter before loading). */
function candidateFiles(nodesBase) {
	const pkg = JSON.parse(fs.readFileSync(path.join(nodesBase, 'package.json'), 'utf8'));
	const mentions = (dir) =>
		fs.readdirSync(dir, { withFileTypes: true, recursive: true }).some((entry) => {
			if (!entry.isFile() || !entry.name.endsWith('.js')) return false;
			const text = fs.readFileSync(path.join(entry.parentPath ?? entry.path, entry.name), 'utf8');
			return text.includes('routing:') || text.includes('requestDefaults');
		});
	const cache = new Map();
	return pkg.n8n.nodes.filter((file) => {
		const dir = path.dirname(path.join(nodesBase, file));
		if (!cache.has(dir)) cache.set(dir, mentions(dir));
		return cache.get(dir);
	});
}

const hasRouting = (properties) =>
	(properties ?? []).some((p) => p.routing || hasRouting(p.options?.filter?.((o) => typeof o === 'object')) || hasRouting(p.values));

const isDeclarative = (type) =>
	!type.execute && !type.poll && !type.trigger && !type.webhook && !type.supplyData &&
	(type.description.requestDefaults !== undefined || hasRouting(type.description.properties));

/** Each declarative node type (one per version) among `files`: { name, version, type, file } or { file, error }. */
function loadDeclarative(nodesBase, files, workflow, load = require) {
	const out = [];
	for (const file of files) {
		let exported;
		try {
			exported = load(path.join(nodesBase, file));
		} catch (error) {
			out.push({ file, error: `load: ${error.message.split('\n')[0]}` });
			continue;
		}
		for (const Type of Object.values(exported)) {
			if (typeof Type !== 'function') continue;
			let instance;
			try {
				instance = new Type();
			} catch {
				continue;
			}
			if (!instance.description) continue;
			const versions = instance.nodeVersions ? Object.keys(instance.nodeVersions).map(Number) : [].concat(instance.description.version);
			for (const version of versions) {
				const type = workflow.NodeHelpers.getVersionedNodeType(instance, version);
				if (isDeclarative(type)) out.push({ name: `n8n-nodes-base.${instance.description.name}`, version, type, file });
			}
		}
	}
	return out;
}

/** The values of an options property (its `value`s), or []. */
const optionValues = (property) => (property?.options ?? []).filter((o) => o && 'value' in o).map((o) => o.value);

/** A user's value for a property inside a collection or a fixedCollection entry. */
function innerValue(property) {
	switch (property.type) {
		case 'string':
			return STRING;
		case 'number':
			return 3;
		case 'boolean':
			return true;
		case 'dateTime':
			return '2024-01-02T03:04:05.000Z';
		case 'options':
			return optionValues(property)[0];
		case 'multiOptions':
			return optionValues(property).slice(0, 1);
		default:
			return undefined;
	}
}

/** A user's value for a shown top-level property, or undefined to keep the default. */
function topValue(property) {
	switch (property.type) {
		case 'string':
			return STRING;
		case 'number':
			return NUMBER;
		case 'dateTime':
			return '2024-01-02T03:04:05.000Z';
		case 'resourceLocator':
			return { __rl: true, mode: property.modes?.[0]?.name ?? 'id', value: STRING };
		case 'collection': {
			const value = {};
			for (const option of property.options ?? []) {
				const v = innerValue(option);
				if (v !== undefined) value[option.name] = v;
			}
			return value;
		}
		case 'fixedCollection': {
			const value = {};
			for (const group of property.options ?? []) {
				const entry = {};
				for (const field of group.values ?? []) {
					const v = innerValue(field);
					if (v !== undefined) entry[field.name] = v;
				}
				value[group.name] = property.typeOptions?.multipleValues ? [entry] : entry;
			}
			return value;
		}
		default:
			return undefined;
	}
}

/** Parameter sets for one node type: one per resource × operation it offers. */
function parameterSets(type, workflow) {
	const { description } = type;
	const props = description.properties;
	const node = { parameters: {}, typeVersion: description.version };
	const resources = optionValues(props.find((p) => p.name === 'resource' && p.type === 'options'));
	const sets = [];
	for (const resource of resources.length ? resources : [undefined]) {
		const base = resource === undefined ? {} : { resource };
		const shown = (p, parameters) => workflow.NodeHelpers.displayParameter(parameters, p, { ...node, parameters }, description, parameters);
		const operations = props.filter((p) => p.name === 'operation' && p.type === 'options' && shown(p, base)).flatMap(optionValues);
		for (const operation of operations.length ? operations : [undefined]) {
			let parameters = operation === undefined ? { ...base } : { ...base, operation };
			parameters = workflow.NodeHelpers.getNodeParameters(props, parameters, true, false, { ...node, parameters }, description) ?? parameters;
			for (const p of props) {
				if (['resource', 'operation', 'authentication'].includes(p.name) || !shown(p, parameters)) continue;
				const value = topValue(p);
				if (value !== undefined) parameters[p.name] = value;
			}
			sets.push({ label: [resource, operation].filter(Boolean).join(' → ') || '(default)', parameters });
		}
	}
	return sets;
}

/** Credential data for any credential type: URL-like fields point somewhere, the rest are placeholders. */
function credentialData(properties = []) {
	const data = {};
	for (const p of properties) {
		if (p.type === 'boolean') data[p.name] = p.default ?? false;
		else if (p.type === 'number') data[p.name] = p.default ?? 1;
		else if (p.type === 'options') data[p.name] = p.default ?? optionValues(p)[0];
		else if (/url|domain|host|server|endpoint|region/i.test(p.name)) data[p.name] = typeof p.default === 'string' && p.default && !p.default.startsWith('=') ? p.default : 'https://example.test';
		else data[p.name] = `test-${p.name}`;
	}
	return data;
}

module.exports = { ITEMS, STRING, candidateFiles, loadDeclarative, parameterSets, credentialData };
