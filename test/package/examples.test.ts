/**
 * The examples are what a newcomer sees first in the editor: no node, and no node's name, may be
 * drawn over a sticky note's text. n8n's canvas (2.x) draws a node as a 100 × 100 box, a sub-node (one that
 * connects to an AI Agent's model, memory or tool input) as an 80 × 80 circle, both from their
 * `position` (top left), with the name centred below in up to two lines (≈ 50 px, wider than the node).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ExampleNode {
	name: string;
	type: string;
	position: [number, number];
	parameters: { width?: number; height?: number; content?: string };
}
interface Box {
	left: number;
	top: number;
	right: number;
	bottom: number;
}

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const STICKY = 'n8n-nodes-base.stickyNote';
const LABEL_HEIGHT = 50;
const LABEL_OVERHANG = 30; // each side: a name is wider than its node
// How n8n's sticky note sets its Markdown (measured by eye in 2.41's editor, rounded up so the
// estimate errs towards "covered"): 14 px text, ≈ 7 px a character, 21 px a line, larger headings,
// a paragraph gap, 10 px padding. The text starts at the note's top left and wraps at its width.
const PADDING = 10;
const LINE = { text: { height: 21, charWidth: 7 }, heading: { height: 32, charWidth: 12 } };
const PARAGRAPH_GAP = 10;

// A node's box and a note's size when the workflow does not set one (n8n's defaults).
const nodeSize = (subNode: boolean) => (subNode ? 80 : 100);
const noteSize = (note: ExampleNode) => ({ width: note.parameters.width ?? 240, height: note.parameters.height ?? 80 });

const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Where n8n draws a node's name, below the node. */
function labelBox(node: ExampleNode, subNode: boolean): Box {
	const size = nodeSize(subNode);
	const [x, y] = node.position;
	return { left: x - LABEL_OVERHANG, right: x + size + LABEL_OVERHANG, top: y + size, bottom: y + size + LABEL_HEIGHT };
}

/** How far down a note its text reaches, wrapped at the note's width. */
function textHeight(note: ExampleNode): number {
	const width = noteSize(note).width - 2 * PADDING;
	let height = PADDING;
	for (const line of (note.parameters.content ?? '').split('\n')) {
		if (!line.trim()) {
			height += PARAGRAPH_GAP;
			continue;
		}
		const kind = /^#{1,3} /.test(line) ? LINE.heading : LINE.text;
		// Markdown markers take no room; links show their text only.
		const shown = line.replace(/^#{1,3} |\*\*|`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
		const perLine = Math.max(1, Math.floor(width / kind.charWidth));
		height += Math.ceil(shown.length / perLine) * kind.height;
	}
	return height;
}

/** The part of a note its text covers: from its top left, as far down as the text goes. */
function textBox(note: ExampleNode): Box {
	const [x, y] = note.position;
	const { width, height } = noteSize(note);
	return { left: x, right: x + width, top: y, bottom: y + Math.min(textHeight(note), height) };
}

/** A node and its name below it. */
function nodeBox(node: ExampleNode, subNode: boolean): Box {
	const [x, y] = node.position;
	return { left: x, top: y, right: x + nodeSize(subNode), bottom: labelBox(node, subNode).bottom };
}

type Workflow = { nodes: ExampleNode[]; connections: Record<string, Record<string, unknown>> };

/** The nodes (with their names) drawn over a note's text, as "node → note". */
function nodesOverText(workflow: Workflow): string[] {
	const notes = workflow.nodes.filter((n) => n.type === STICKY);
	const subNodes = new Set(Object.entries(workflow.connections).filter(([, outputs]) => Object.keys(outputs).some((kind) => kind !== 'main')).map(([name]) => name));
	return workflow.nodes
		.filter((n) => n.type !== STICKY)
		.flatMap((node) => {
			const sub = subNodes.has(node.name);
			const covers = (note: ExampleNode) => overlap(nodeBox(node, sub), textBox(note)) || overlap(labelBox(node, sub), textBox(note));
			return notes.filter(covers).map((note) => `${node.name} → ${note.name}`);
		});
}

/** A note whose text runs past its bottom edge is cut off in the editor. */
function notesCutOff(workflow: Workflow): string[] {
	return workflow.nodes.filter((n) => n.type === STICKY && textHeight(n) > noteSize(n).height).map((n) => `${n.name}: text ≈ ${textHeight(n)} px, note ${noteSize(n).height} px`);
}

describe('example workflows in the editor', () => {
	const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
	const read = (file: string): Workflow => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));

	it.each(files)("%s: no node or node's name is drawn over a sticky note's text", (file) => {
		expect(nodesOverText(read(file))).toEqual([]);
	});

	it.each(files)("%s: every sticky note is tall enough for its text", (file) => {
		expect(notesCutOff(read(file))).toEqual([]);
	});

	it('finds the overlap the AI example had: its sub-nodes\' names over "The model" note', () => {
		const workflow = read('ai-agent-reply.json');
		const note = workflow.nodes.find((n: ExampleNode) => n.parameters.content?.startsWith('### The model')) as ExampleNode;
		note.position = [120, 400];
		expect(nodesOverText(workflow)).toEqual(expect.arrayContaining(['OpenAI Chat Model', 'Simple Memory', 'Hand over to human'].map((node) => `${node} → ${note.name}`)));
	});

	it('finds the overlap the order examples had (issue 27): two nodes over the fallback note', () => {
		const workflow = read('woocommerce-order-chat-message.json');
		const at = (name: string, position: [number, number]) => ((workflow.nodes.find((n) => n.name === name) as ExampleNode).position = position);
		at('Sticky Note (fallback)', [1700, -300]);
		at('Failed for another reason?', [1760, -220]);
		at('Stop: the chat message failed', [1980, -240]);
		expect(nodesOverText(workflow)).toEqual(
			expect.arrayContaining(['Failed for another reason? → Sticky Note (fallback)', 'Stop: the chat message failed → Sticky Note (fallback)']),
		);
	});
});
