/**
 * Caps how many requests of one node run are in flight at once. n8n's declarative engine starts
 * every item's request at the same moment (Promise.allSettled) unless the user sets Batching;
 * against an API with an hourly quota that is a burst of hundreds of calls.
 * Waiters are served first come, first served, which is item order.
 */
export class RequestGate {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private readonly limit: number) {}

	async acquire(): Promise<void> {
		if (this.active < this.limit) {
			this.active++;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	release(): void {
		const next = this.waiting.shift();
		// The slot passes straight to the next waiter, so `active` stays the same.
		if (next) next();
		else this.active--;
	}
}

/**
 * n8n hands every item of a node run the same `executeData` object and lets go of it when the run
 * ends, so keyed by it the items share one gate and no gate outlives its run.
 */
const gates = new WeakMap<object, RequestGate>();

/** The gate of a node run; the first item's limit sets it. */
export function gateFor(runKey: object, limit: number): RequestGate {
	let gate = gates.get(runKey);
	if (!gate) {
		gate = new RequestGate(limit);
		gates.set(runKey, gate);
	}
	return gate;
}
