import type { IWebhookFunctions } from 'n8n-workflow';
import { boundedStates, isRemembered, isWorthSaving, mergeStates, validStates, type ConversationStates } from './conversationMemory';
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
	const loaded = validStates(staticData[STATIC_DATA_KEY]);
	const mine = processCopies.get(key);
	// A new object either way (never the process copy itself), so commit may change it in place.
	const states = mine === undefined ? loaded : mergeStates(loaded, mine);
	// This process remembers more than n8n loaded: an overlapping call's save dropped it, or n8n did
	// not save the call that started an execution (README, What the trigger remembers). Save it back.
	const healed = states !== loaded;
	const recall = (conversationId: string) => {
		const state = states[conversationId];
		return state !== undefined && isRemembered(state, now) ? state : undefined;
	};
	return {
		now,
		recall,
		commit(remember) {
			if (remember === undefined) return;
			const before = recall(remember.conversationId);
			if (remember.state === undefined ? before === undefined : !isWorthSaving(before, remember.state)) {
				if (!healed) return;
			} else if (remember.state) states[remember.conversationId] = remember.state;
			else delete states[remember.conversationId];
			const kept = boundedStates(states, now);
			// Setting the property marks the static data changed, so n8n saves it after this call.
			staticData[STATIC_DATA_KEY] = kept;
			processCopies.delete(key);
			processCopies.set(key, kept);
			if (processCopies.size > MAX_TRIGGERS_KEPT) processCopies.delete(processCopies.keys().next().value as string);
		},
	};
}
