import type { IWebhookFunctions } from 'n8n-workflow';
import {
	decodeStates,
	encodeStates,
	forgetOld,
	holdsMoreThan,
	isRemembered,
	isWorthSaving,
	mergeInto,
	type ConversationStates,
} from './conversationMemory';
import type { Memory, Remember } from './handleWebhookRequest';

/** Where the states live in the node's workflow static data (which n8n persists with the workflow). */
const STATIC_DATA_KEY = 'conversations';

/**
 * One n8n process's memory of one trigger: the states it knows, the string it last wrote to the
 * static data, and the conversations it forgot (so that an older stored copy does not bring them back).
 */
interface ProcessCopy {
	states: ConversationStates;
	written: unknown;
	/** The last stored value merged in that differed from `written` (n8n may load the same stale one again) */
	merged?: unknown;
	forgotten: Map<string, number>;
}

/**
 * The memory of each trigger in this process. n8n loads static data per webhook call and saves it
 * whole, so of two overlapping calls the later save drops what the earlier one remembered, and
 * n8n 2.41 does not save a call that starts an execution at all; merged with every load that
 * differs from what this process wrote, this copy brings such a record back with the next save.
 * While the static data is what this process wrote, nothing is parsed: the copy is the memory.
 */
const processCopies = new Map<string, ProcessCopy>();
const MAX_TRIGGERS_KEPT = 100;
const MAX_FORGOTTEN_KEPT = 200;

/** Drops a map's first-inserted entries beyond `max` (maps keep insertion order). */
function keepAtMost<K, V>(map: Map<K, V>, max: number): void {
	for (const key of map.keys()) {
		if (map.size <= max) return;
		map.delete(key);
	}
}

export interface ConversationStore extends Memory {
	/** Writes the change (if any) to the static data n8n saves after this call, and to this process's copy */
	commit(remember: Remember | undefined): void;
}

/** This process's copy of a trigger's memory, brought up to date with what n8n loaded. */
function processCopy(key: string, stored: unknown): { copy: ProcessCopy; healed: boolean } {
	let copy = processCopies.get(key);
	processCopies.delete(key); // kept in order of use: the least recently used trigger goes first
	if (copy === undefined) copy = { states: decodeStates(stored), written: stored, forgotten: new Map() };
	processCopies.set(key, copy);
	keepAtMost(processCopies, MAX_TRIGGERS_KEPT);
	if (stored === copy.written) return { copy, healed: false };
	// The same stale value as last time (n8n did not save since): merged already, still to be saved back.
	if (stored === copy.merged) return { copy, healed: true };

	// Written by another process, before a restart, or n8n did not save this process's last write.
	const loaded = decodeStates(stored);
	mergeInto(copy.states, loaded);
	for (const [conversationId, forgottenAt] of copy.forgotten) {
		const state = copy.states.get(conversationId);
		if (state !== undefined && state.lastEventAt <= forgottenAt) copy.states.delete(conversationId);
	}
	// Differs from what was loaded (more, or a forgotten conversation less): to be saved back.
	const healed = copy.states.size !== loaded.size || holdsMoreThan(copy.states, loaded);
	if (healed) copy.merged = stored;
	else copy.written = stored;
	return { copy, healed };
}

/** The only place that reads or writes the trigger's static data. */
export function openConversationStore(ctx: IWebhookFunctions, now: number): ConversationStore {
	const staticData = ctx.getWorkflowStaticData('node');
	// Test-URL calls get n8n's test copy of the static data: they must not mix with production's.
	const key = `${ctx.getMode()}:${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
	const { copy, healed } = processCopy(key, staticData[STATIC_DATA_KEY]);
	const recall = (conversationId: string) => {
		const state = copy.states.get(conversationId);
		return state !== undefined && isRemembered(state, now) ? state : undefined;
	};
	return {
		now,
		recall,
		commit(remember) {
			if (remember === undefined) return;
			const { conversationId, state } = remember;
			const before = recall(conversationId);
			const changed = state === undefined ? before !== undefined : isWorthSaving(before, state);
			if (!changed && !healed) return;
			if (state !== undefined) copy.states.set(conversationId, state);
			else if (changed) {
				copy.states.delete(conversationId);
				copy.forgotten.set(conversationId, now);
				keepAtMost(copy.forgotten, MAX_FORGOTTEN_KEPT);
			}
			forgetOld(copy.states, now);
			const written = encodeStates(copy.states);
			copy.written = written;
			// Setting the property marks the static data changed, so n8n saves it after this call.
			staticData[STATIC_DATA_KEY] = written;
		},
	};
}
