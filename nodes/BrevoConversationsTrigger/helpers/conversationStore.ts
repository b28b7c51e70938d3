import type { IWebhookFunctions } from 'n8n-workflow';
import {
	decodeStates,
	encodeStates,
	forgetOld,
	holdsAnything,
	holdsMoreThan,
	isRemembered,
	isWorthSaving,
	mergeInto,
	type ConversationStates,
} from './conversationMemory';
import type { Memory, Remember } from './handleWebhookRequest';

/** Where the states live in the node's workflow static data (which n8n persists with the workflow). */
const STATIC_DATA_KEY = 'conversations';

/** One n8n process's memory of one trigger: the states it knows and the string it last wrote to the static data. */
interface ProcessCopy {
	states: ConversationStates;
	written: unknown;
	/** The last stored value merged in that differed from `written` (n8n may load the same stale one again) */
	merged?: unknown;
}

/**
 * The memory of each trigger in this process. n8n loads static data per webhook call and saves it
 * whole, so of two overlapping calls the later save drops what the earlier one remembered; merged
 * with every load that differs from what this process wrote, this copy brings such a record back
 * with the next save. While the static data is what this process wrote, nothing is parsed: the
 * copy is the memory. What another process or a restart changed arrives through the stored value
 * and is merged by rules no copy can roll back (conversationMemory.ts, mergeState).
 */
const processCopies = new Map<string, ProcessCopy>();
const MAX_TRIGGERS_KEPT = 100;

export interface ConversationStore extends Memory {
	/** Writes the change (if any) to the static data n8n saves after this call, and to this process's copy */
	commit(remember: Remember | undefined): void;
}

/** This process's copy of a trigger's memory, brought up to date with what n8n loaded. */
function processCopy(key: string, stored: unknown, now: number): { copy: ProcessCopy; healed: boolean } {
	let copy = processCopies.get(key);
	processCopies.delete(key); // kept in order of use: the least recently used trigger goes first
	if (copy === undefined) copy = { states: decodeStates(stored, now), written: stored };
	processCopies.set(key, copy);
	for (const oldest of processCopies.keys()) {
		if (processCopies.size <= MAX_TRIGGERS_KEPT) break;
		processCopies.delete(oldest);
	}
	if (stored === copy.written) return { copy, healed: false };
	// The same stale value as last time (n8n did not save since): merged already, still to be saved back.
	if (stored === copy.merged) return { copy, healed: true };

	// Written by another process, before a restart, or n8n did not save this process's last write.
	const loaded = decodeStates(stored, now);
	mergeInto(copy.states, loaded);
	// Differs from what was loaded (it holds more): to be saved back.
	const healed = holdsMoreThan(copy.states, loaded);
	if (healed) copy.merged = stored;
	else copy.written = stored;
	return { copy, healed };
}

/** The only place that reads or writes the trigger's static data. */
export function openConversationStore(ctx: IWebhookFunctions, now: number): ConversationStore {
	const staticData = ctx.getWorkflowStaticData('node');
	// Test-URL calls get n8n's test copy of the static data: they must not mix with production's.
	const key = `${ctx.getMode()}:${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
	const { copy, healed } = processCopy(key, staticData[STATIC_DATA_KEY], now);
	const recall = (conversationId: string) => {
		const state = copy.states.get(conversationId);
		return state !== undefined && isRemembered(state, now) ? state : undefined;
	};
	return {
		now,
		recall,
		commit(remember) {
			const state = remember !== undefined && holdsAnything(remember.state) ? remember.state : undefined;
			const changed = state !== undefined && isWorthSaving(recall(remember!.conversationId), state);
			if (!changed && !healed) return;
			if (changed) copy.states.set(remember!.conversationId, state);
			forgetOld(copy.states, now);
			const written = encodeStates(copy.states);
			copy.written = written;
			// Setting the property marks the static data changed, so n8n saves it after this call.
			staticData[STATIC_DATA_KEY] = written;
		},
	};
}
