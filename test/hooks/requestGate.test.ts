import { RequestGate, gateFor } from '../../nodes/BrevoConversations/helpers/requestGate';

test('lets `limit` holders in at once and the rest in arrival order as slots are released', async () => {
	const gate = new RequestGate(2);
	const order: number[] = [];
	const holders = [0, 1, 2, 3, 4].map((n) => gate.acquire().then(() => order.push(n)));
	await Promise.resolve();
	await Promise.resolve();
	expect(order).toEqual([0, 1]);
	gate.release();
	await holders[2];
	expect(order).toEqual([0, 1, 2]);
	gate.release();
	gate.release();
	await Promise.all(holders);
	expect(order).toEqual([0, 1, 2, 3, 4]);
	gate.release();
	gate.release();
	// Every slot is free again: two new holders get in at once, a third waits.
	const later: number[] = [];
	[5, 6, 7].forEach((n) => void gate.acquire().then(() => later.push(n)));
	await Promise.resolve();
	expect(later).toEqual([5, 6]);
});

test('one gate per node run key', () => {
	const runA = {};
	const runB = {};
	expect(gateFor(runA, 5)).toBe(gateFor(runA, 5));
	expect(gateFor(runA, 5)).not.toBe(gateFor(runB, 5));
});
