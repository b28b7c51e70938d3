/**
 * What the node makes of a failed answer from Brevo. In a file of its own so that brevoErrors.ts
 * (which maps answers) and unknownVisitor.ts (which re-tells a Send's failure) both depend on it
 * without depending on each other.
 */
export interface MappedBrevoError {
	message: string;
	description: string;
	/**
	 * For an AI agent calling the node as a tool: the problem and what to do about it, in one or
	 * two plain sentences, since the error's message is all the model receives (see runsAsTool)
	 */
	forModel: string;
	code?: string;
	/** Seconds until Brevo's quota window resets, on a 429 */
	rateLimitResetSeconds?: number;
}
