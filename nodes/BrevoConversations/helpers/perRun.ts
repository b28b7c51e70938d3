/**
 * Values kept for one node run. n8n hands every item of a run the same `executeData` object and
 * lets go of it when the run ends, so it keys what the items share (the request gate, the
 * credential) and nothing outlives the run.
 */
export class PerRun<T> {
	private readonly values = new WeakMap<object, T>();

	get(runKey: object, create: () => T): T {
		let value = this.values.get(runKey);
		if (value === undefined) {
			value = create();
			this.values.set(runKey, value);
		}
		return value;
	}

	forget(runKey: object): void {
		this.values.delete(runKey);
	}
}
