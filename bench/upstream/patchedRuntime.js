'use strict';
/**
 * A throw-away copy of a pinned n8n runtime with proposals of ./patches.js applied, for the bench
 * and the equivalence test only. The pinned runtime in .cache/ is shared by `npm start`, the e2e
 * tests and other sessions, so it is never written to:
 *  - the copy is made of hard links (`cp -al`: seconds and no disk, the runtime is ≈ 2.7 GB);
 *  - a patched file is written beside its link and renamed over it, which replaces the link in the
 *    copy and leaves the original's inode (and content) as it was;
 *  - each original file's SHA-256 is taken before and checked after; a difference throws.
 */
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PROPOSALS, applyEdits, editsByFile } = require('./patches');

const sha256 = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The runtime's install folder (…/.cache/n8n-<version>) from ensureRuntime()'s n8nBin. */
function runtimeDir(runtime) {
	const marker = `${path.sep}node_modules${path.sep}n8n${path.sep}bin${path.sep}`;
	const at = runtime.n8nBin.lastIndexOf(marker);
	if (at < 0) throw new Error(`unexpected n8n path ${runtime.n8nBin}`);
	return runtime.n8nBin.slice(0, at);
}

/** The files a set of proposals patches, relative to node_modules. */
const filesOf = (names) => [...new Set(names.flatMap((name) => Object.keys(editsByFile(PROPOSALS[name]))))];

/** SHA-256 of each file the proposals patch, in the original runtime. */
function originalChecksums(runtime, names = Object.keys(PROPOSALS)) {
	const modules = path.join(runtimeDir(runtime), 'node_modules');
	return Object.fromEntries(filesOf(names).map((file) => [file, sha256(path.join(modules, file))]));
}

/** Throws if any original file changed since `before` was taken. */
function assertOriginalUnchanged(runtime, before) {
	const after = originalChecksums(runtime, undefined);
	const changed = Object.keys(before).filter((file) => before[file] !== after[file]);
	if (changed.length) throw new Error(`the pinned runtime changed: ${changed.join(', ')}`);
}

/**
 * A copy of `runtime` with the proposals `names` applied. Returns a runtime object like
 * ensureRuntime()'s (same Node, same env) whose n8nBin is the copy's, plus `dir` and `remove()`.
 */
function patchedRuntime(runtime, names, label = names.join('+')) {
	const source = runtimeDir(runtime);
	const root = fs.mkdtempSync(path.join(os.tmpdir(), `brevo-upstream-${label}-`));
	const dir = path.join(root, path.basename(source));
	execFileSync('cp', ['-al', source, dir]);
	for (const name of names) {
		for (const [file, edits] of Object.entries(editsByFile(PROPOSALS[name]))) {
			const target = path.join(dir, 'node_modules', file);
			const patched = applyEdits(file, fs.readFileSync(target, 'utf8'), edits);
			const temporary = `${target}.upstream-${process.pid}`;
			fs.writeFileSync(temporary, patched);
			fs.renameSync(temporary, target); // replaces the hard link, never writes through it
			if (fs.statSync(target).ino === fs.statSync(path.join(source, 'node_modules', file)).ino) {
				throw new Error(`${file} is still a hard link to the original`);
			}
		}
	}
	return {
		...runtime,
		n8nBin: path.join(dir, path.relative(source, runtime.n8nBin)),
		dir,
		patched: names,
		remove: () => fs.rmSync(root, { recursive: true, force: true }),
	};
}

module.exports = { patchedRuntime, originalChecksums, assertOriginalUnchanged, runtimeDir };
