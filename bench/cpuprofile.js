'use strict';
/**
 * Summarises a V8 .cpuprofile (from node --cpu-prof): self time per function and per package,
 * counting only the samples taken between `fromUs` and `toUs` (the profile's monotonic clock).
 */
const fs = require('node:fs');

/** The package a script belongs to: the folder after the last node_modules/, or a short label. */
function packageOf(url) {
	if (!url) return '(native / V8)';
	const parts = url.split('node_modules/');
	if (parts.length > 1) {
		const rest = parts[parts.length - 1].split('/');
		return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
	}
	if (url.startsWith('node:')) return 'node (built-in)';
	return url.replace(/^file:\/\//, '');
}

function summarise(file, { fromUs = -Infinity, toUs = Infinity, top = 15 } = {}) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const selfUs = new Map();
	let t = profile.startTime;
	let totalUs = 0;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i];
		const dt = profile.timeDeltas[i + 1] ?? 0; // a sample stands for the time until the next one
		if (t < fromUs || t > toUs) continue;
		selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
		totalUs += dt;
	}
	// Total time: a sample counts once for every distinct function on its stack.
	const parentOf = new Map();
	for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
	const keyOf = (id) => {
		const { functionName, url, lineNumber } = byId.get(id).callFrame;
		const where = url ? `${url.split('node_modules/').pop()}:${lineNumber + 1}` : '';
		return `${functionName || '(anonymous)'} ${where}`.trim();
	};
	const inclusive = new Map();
	for (const [id, us] of selfUs) {
		const seen = new Set();
		for (let at = id; at !== undefined; at = parentOf.get(at)) seen.add(keyOf(at));
		for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
	}
	const functions = new Map();
	const packages = new Map();
	for (const [id, us] of selfUs) {
		const key = keyOf(id);
		const { url } = byId.get(id).callFrame;
		functions.set(key, (functions.get(key) ?? 0) + us);
		const pkg = packageOf(url);
		packages.set(pkg, (packages.get(pkg) ?? 0) + us);
	}
	const rank = (map) =>
		[...map]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([name, us]) => ({ name, ms: us / 1000, share: totalUs ? us / totalUs : 0 }));
	return { startUs: profile.startTime, totalMs: totalUs / 1000, functions: rank(functions), packages: rank(packages), inclusive: rank(inclusive), packageMs: Object.fromEntries([...packages].map(([k, us]) => [k, us / 1000])) };
}

/**
 * Time (ms) of the samples between `fromUs` and `toUs` whose stack holds a frame matching `inner`
 * called (at any depth) from a frame matching `outer`; frames are "functionName url:line".
 */
function timeUnder(file, { fromUs = -Infinity, toUs = Infinity, inner, outer }) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parentOf = new Map();
	for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
	const label = (id) => {
		const { functionName, url, lineNumber } = byId.get(id).callFrame;
		return `${functionName} ${url}:${lineNumber + 1}`;
	};
	let t = profile.startTime;
	let us = 0;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i];
		if (t < fromUs || t > toUs) continue;
		let sawInner = false;
		for (let at = profile.samples[i]; at !== undefined; at = parentOf.get(at)) {
			const frame = label(at);
			if (inner.test(frame)) sawInner = true;
			else if (sawInner && outer.test(frame)) {
				us += profile.timeDeltas[i + 1] ?? 0;
				break;
			}
		}
	}
	return us / 1000;
}

module.exports = { summarise, timeUnder };
