/**
 * Measured figures in the docs are quoted from bench/RESULTS.md, never retyped from memory: every figure
 * the docs cite must appear in the current RESULTS.md, so a figure that a new bench run replaced (or one
 * that was never measured) fails `npm test` instead of going stale silently.
 *
 * Which text counts ("figure text"):
 *   - the whole of docs/performance.md, docs/scaling-queue-mode.md and docs/upstream/README.md;
 *   - the README's "## Performance" section;
 *   - in every other markdown file of the README and docs/, each paragraph or list item that names
 *     `bench/RESULTS.md` or `npm run bench` (that is where a guide quotes the bench).
 * Code (fenced blocks and `inline code`) is left out: option values and commands are not figures.
 *
 * Which numbers are figures:
 *   - every decimal number (0.68, 8.0, 315.4), except a version (2.41.1, or 2.41 after "n8n", "Node"…);
 *   - every whole number followed by a unit of measurement (ms, ms/item, events/s, events per second,
 *     ×, %, MB, KB), e.g. "22 ms", "3×".
 * A decimal figure must appear in RESULTS.md as the same number (not inside a longer one: 1.00 does not
 * match 11.00 or 1.005); a whole-number figure together with its unit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const RESULTS_FILE = 'bench/RESULTS.md';

const WHOLE_FILES = ['docs/performance.md', 'docs/scaling-queue-mode.md', 'docs/upstream/README.md'];
const CITES_THE_BENCH = /bench\/RESULTS\.md|npm run bench/;
const VERSION_BEFORE = /(?:n8n|Node(?:\.js)?|n8n-core|n8n-workflow|Postgres|Redis|npm|version|from)\s*(?:[≥<>]=?\s*)?$/i;
const UNIT = String.raw`(?:\s?(?:ms\/item|ms|events\/s|events per second|MB|KB|MiB)\b|\s?[×%])`;

const withoutCode = (markdown: string) => markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');

function section(markdown: string, heading: string): string {
	const start = markdown.indexOf(`\n${heading}\n`);
	if (start === -1) throw new Error(`no "${heading}" section`);
	const next = markdown.indexOf('\n## ', start + heading.length + 2);
	return markdown.slice(start, next === -1 ? undefined : next);
}

/** Paragraphs and list items: a list item ends where the next one starts. */
const blocksOf = (markdown: string) => markdown.split(/\n\s*\n|\n(?=\s*(?:[-*]|\d+\.) )/);

/** The figure text of each markdown file, by file name. */
function figureTexts(): Array<{ file: string; text: string }> {
	const markdown = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
	return [
		...WHOLE_FILES.map((file) => ({ file, text: read(file) })),
		{ file: 'README.md (## Performance)', text: section(read('README.md'), '## Performance') },
		...markdown
			.filter((file) => !WHOLE_FILES.includes(file))
			.map((file) => ({ file: `${file} (paragraphs citing the bench)`, text: blocksOf(read(file)).filter((p) => CITES_THE_BENCH.test(p)).join('\n\n') })),
	];
}

/** The figures of a text: each number, with its unit when it is a whole number. */
function figuresOf(text: string): Array<{ number: string; unit?: string; context: string }> {
	const prose = withoutCode(text);
	const figures: Array<{ number: string; unit?: string; context: string }> = [];
	const context = (index: number) => prose.slice(Math.max(0, index - 40), index + 20).replace(/\s+/g, ' ');
	for (const match of prose.matchAll(/(?<![\d.,])\d+(?:,\d{3})*(?:\.\d+)*/g)) {
		const token = match[0];
		const index = match.index ?? 0;
		const dots = (token.match(/\./g) ?? []).length;
		if (dots > 1) continue; // a version: 2.41.1
		if (dots === 1) {
			if (VERSION_BEFORE.test(prose.slice(Math.max(0, index - 30), index))) continue; // n8n 2.41
			figures.push({ number: token, context: context(index) });
			continue;
		}
		const unit = new RegExp(`^${UNIT}`).exec(prose.slice(index + token.length));
		if (unit) figures.push({ number: token, unit: unit[0].trim(), context: context(index) });
	}
	return figures;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether RESULTS.md holds the figure: the same number, not inside a longer one; a whole number with its unit. */
function inResults(results: string, figure: { number: string; unit?: string }): boolean {
	const spellings = [figure.number, figure.number.replace(/,/g, '')];
	return spellings.some((number) => {
		const unit = figure.unit ? String.raw`\s?${escape(figure.unit)}` : '';
		return new RegExp(String.raw`(?<![\d.,])${escape(number)}(?![\d]|[.,]\d)${unit}`).test(results);
	});
}

describe('figures in the docs are the ones in bench/RESULTS.md', () => {
	const results = read(RESULTS_FILE);

	it('the figure finder finds decimals and measured whole numbers, and skips versions and code', () => {
		const found = figuresOf('n8n 2.41 took 8.0 events/s (0.90–1.25), 22 ms, 3× and 1 %; on 2.41.1 with `--pairs=5` and 100 events, Node 24.21.0');
		expect(found.map((f) => f.number + (f.unit ?? ''))).toEqual(['8.0', '0.90', '1.25', '22ms', '3×', '1%']);
	});

	it('a figure matches only the same number in RESULTS.md', () => {
		const text = '| 11.00 | 1.005 | 8.01 | 22 ms |';
		expect(inResults(text, { number: '1.00' })).toBe(false);
		expect(inResults(text, { number: '8.0' })).toBe(false);
		expect(inResults(text, { number: '22', unit: 'ms' })).toBe(true);
		expect(inResults(text, { number: '22', unit: '%' })).toBe(false);
		expect(inResults('was 1.00 (0.90', { number: '1.00' })).toBe(true);
	});

	it.each(figureTexts())('$file: every figure appears in bench/RESULTS.md', ({ text }) => {
		const missing = figuresOf(text)
			.filter((figure) => !inResults(results, figure))
			.map((figure) => `${figure.number}${figure.unit ? ' ' + figure.unit : ''} in "…${figure.context}…"`);
		expect(missing).toEqual([]);
	});

	it('the performance guide and the README cite figures at all (the test would pass on an empty page)', () => {
		expect(figuresOf(read('docs/performance.md')).length).toBeGreaterThan(10);
		expect(figuresOf(section(read('README.md'), '## Performance')).length).toBeGreaterThan(0);
		expect(figuresOf(read('docs/scaling-queue-mode.md')).length).toBeGreaterThan(5);
	});
});
