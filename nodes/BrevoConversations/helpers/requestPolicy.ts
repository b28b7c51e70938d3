import type { IDataObject, IExecuteSingleFunctions, INodeProperties } from 'n8n-workflow';

/** How the node paces its requests to Brevo; set in the node's Options collection. */
export interface RequestPolicy {
	onRateLimit: 'wait' | 'fail';
	/** Longest total wait for one item across its retries, in seconds */
	maxWaitSeconds: number;
	/** Requests of this node that may be in flight at once */
	maxParallel: number;
}

export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
	onRateLimit: 'wait',
	maxWaitSeconds: 120,
	maxParallel: 5,
};

export function toRequestPolicy(options: IDataObject): RequestPolicy {
	const number = (value: unknown, fallback: number, min: number) => {
		const n = Number(value);
		return Number.isFinite(n) && n >= min ? n : fallback;
	};
	return {
		onRateLimit: options.onRateLimit === 'fail' ? 'fail' : 'wait',
		maxWaitSeconds: number(options.maxWait, DEFAULT_REQUEST_POLICY.maxWaitSeconds, 0),
		maxParallel: Math.floor(number(options.maxParallel, DEFAULT_REQUEST_POLICY.maxParallel, 1)),
	};
}

export function readRequestPolicy(ctx: IExecuteSingleFunctions): RequestPolicy {
	return toRequestPolicy(ctx.getNodeParameter('options', {}) as IDataObject);
}

/** The defaults below repeat DEFAULT_REQUEST_POLICY as literals: n8n's lint reads them statically. */
export const requestPolicyOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Max Parallel Requests',
			name: 'maxParallel',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 5,
			description:
				'How many requests to Brevo this node keeps in flight at once; the others wait their turn, in item order',
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 120,
			description:
				"With Wait and Retry: the longest time one item may wait in total for Brevo's quota to reset; if the reset is further away, the item fails with the reset time",
		},
		{
			displayName: 'On Rate Limit',
			name: 'onRateLimit',
			type: 'options',
			options: [
				{
					name: 'Wait and Retry',
					value: 'wait',
					description:
						'Wait until Brevo says the quota resets, then send again (safe: Brevo did not process a rate-limited request)',
				},
				{
					name: 'Fail',
					value: 'fail',
					description: 'Fail the item at once, with the time until the quota resets',
				},
			],
			default: 'wait',
			description:
				'What to do when Brevo answers 429 (too many requests). Other failures (5xx, timeouts) are never retried: Brevo has no idempotency key, so a retried send could post the message twice.',
		},
	],
};
