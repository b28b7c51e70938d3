/**
 * The node's files depend on each other in one direction only: two files that import each other
 * (even a type one way) cannot be read or changed one at a time, and brevoErrors.ts and
 * unknownVisitor.ts once did (issue 27). Reads every relative import under nodes/ and credentials/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function sourcesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourcesUnder(path);
		return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
	});
}

/** file → the files it imports (relative imports, `import type` included) */
function importGraph(files: string[]): Map<string, string[]> {
	const known = new Set(files);
	return new Map(
		files.map((file) => {
			const text = readFileSync(file, 'utf8');
			const targets = [...text.matchAll(/^(?:import|export)[^'"]*from\s+'(\.[^']+)'/gm)]
				.map(([, spec]) => resolve(dirname(file), spec))
				.flatMap((base) => [`${base}.ts`, join(base, 'index.ts')].filter((candidate) => known.has(candidate)));
			return [file, targets];
		}),
	);
}

/** Every import cycle, each as "a → b → a" (relative paths), found by depth-first search. */
function cycles(graph: Map<string, string[]>): string[] {
	const found = new Set<string>();
	const visit = (file: string, path: string[]) => {
		for (const next of graph.get(file) ?? []) {
			const at = path.indexOf(next);
			if (at !== -1) {
				const loop = path.slice(at).map((f) => relative(ROOT, f));
				const start = loop.indexOf([...loop].sort()[0]);
				const canonical = [...loop.slice(start), ...loop.slice(0, start)];
				found.add([...canonical, canonical[0]].join(' → '));
			} else if (path.length < 50) {
				visit(next, [...path, next]);
			}
		}
	};
	for (const file of graph.keys()) visit(file, [file]);
	return [...found];
}

describe('imports between the package’s own files', () => {
	const files = ['nodes', 'credentials'].flatMap((dir) => sourcesUnder(join(ROOT, dir)));

	test('no two files import each other, directly or through others', () => {
		expect(cycles(importGraph(files))).toEqual([]);
	});

	test('finds the cycle brevoErrors.ts and unknownVisitor.ts had', () => {
		const graph = importGraph(files);
		const errors = join(ROOT, 'nodes/BrevoConversations/helpers/brevoErrors.ts');
		const unknown = join(ROOT, 'nodes/BrevoConversations/helpers/unknownVisitor.ts');
		expect(graph.get(errors)).toContain(unknown);
		graph.set(unknown, [...(graph.get(unknown) ?? []), errors]);
		expect(cycles(graph)).toEqual(['nodes/BrevoConversations/helpers/brevoErrors.ts → nodes/BrevoConversations/helpers/unknownVisitor.ts → nodes/BrevoConversations/helpers/brevoErrors.ts']);
	});
});
