import type { IWebhookFunctions } from 'n8n-workflow';
import { boundedStates, mergeStates, validStates, type ConversationStates } from './conversationMemory';
import type { Memory, Remember } from './handleWebhookRequest';

/** Where the states live in the node's workflow static data (which n8n persists with the workflow). */
const STATIC_DATA_KEY = 'conversations';

/**
 * This process's latest states per workflow and trigger node. n8n loads static data per webhook
 * call and saves it whole, so of two overlapping calls the later save drops what the earlier one
 * remembered; merged into every load, this copy brings such a record back. Bounded like the
 * states themselves, and by the number of triggers it keeps.
 */
const processCopies = new Map<string, ConversationStates>();
const MAX_TRIGGERS_KEPT = 100;

export interface ConversationStore extends Memory {
	/** Writes the change (if any) to the static data n8n saves after this call, and to this process's copy */
	commit(remember: Remember | undefined): void;
}

/** The only place that reads or writes the trigger's static data. */
export function openConversationStore(ctx: IWebhookFunctions, now: number): ConversationStore {
	const staticData = ctx.getWorkflowStaticData('node');
	// Test-URL calls get n8n's test copy of the static data: they must not mix with production's.
	const key = `${ctx.getMode()}:${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
	let states = boundedStates(mergeStates(validStates(staticData[STATIC_DATA_KEY]), processCopies.get(key) ?? {}), now);
	return {
		now,
		recall: (conversationId) => states[conversationId],
		commit(remember) {
			if (remember === undefined) return;
			const changed = { ...states };
			if (remember.state) changed[remember.conversationId] = remember.state;
			else delete changed[remember.conversationId];
			states = boundedStates(changed, now);
			// Setting the property marks the static data changed, so n8n saves it after this call.
			staticData[STATIC_DATA_KEY] = states;
			processCopies.delete(key);
			processCopies.set(key, states);
			if (processCopies.size > MAX_TRIGGERS_KEPT) processCopies.delete(processCopies.keys().next().value as string);
		},
	};
}
