/**
 * The examples are what a newcomer sees first in the editor: no node's name may be drawn over a
 * sticky note's heading. n8n's canvas (2.x) draws a node as a 100 × 100 box, a sub-node (one that
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
const HEADING_HEIGHT = 40; // a note's first line (## or ###)

const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Where n8n draws a node's name, below the node. */
function labelBox(node: ExampleNode, subNode: boolean): Box {
	const size = subNode ? 80 : 100;
	const [x, y] = node.position;
	return { left: x - LABEL_OVERHANG, right: x + size + LABEL_OVERHANG, top: y + size, bottom: y + size + LABEL_HEIGHT };
}

/** A note's heading line, at its top. */
function headingBox(note: ExampleNode): Box {
	const [x, y] = note.position;
	return { left: x, right: x + (note.parameters.width ?? 240), top: y, bottom: y + HEADING_HEIGHT };
}

/** The names of the node's labels drawn over a note's heading, as "node → note". */
function labelsOverHeadings(workflow: { nodes: ExampleNode[]; connections: Record<string, Record<string, unknown>> }): string[] {
	const notes = workflow.nodes.filter((n) => n.type === STICKY);
	const subNodes = new Set(Object.entries(workflow.connections).filter(([, outputs]) => Object.keys(outputs).some((kind) => kind !== 'main')).map(([name]) => name));
	return workflow.nodes
		.filter((n) => n.type !== STICKY)
		.flatMap((node) => notes.filter((note) => overlap(labelBox(node, subNodes.has(node.name)), headingBox(note))).map((note) => `${node.name} → ${note.name}`));
}

describe('example workflows in the editor', () => {
	const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

	it.each(files)("%s: no node's name is drawn over a sticky note's heading", (file) => {
		expect(labelsOverHeadings(JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')))).toEqual([]);
	});

	it('finds the overlap the AI example had: its sub-nodes\' names over "The model" note', () => {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES, 'ai-agent-reply.json'), 'utf8'));
		const note = workflow.nodes.find((n: ExampleNode) => n.parameters.content?.startsWith('### The model'));
		note.position = [120, 400];
		expect(labelsOverHeadings(workflow)).toEqual(['OpenAI Chat Model', 'Simple Memory', 'Hand over to human'].map((node) => `${node} → ${note.name}`));
	});
});
