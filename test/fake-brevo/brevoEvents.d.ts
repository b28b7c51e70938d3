type Json = Record<string, any>;
export declare const VISITOR_ID: string;
export declare const CONVERSATION_ID: string;
export declare const BOT_LABEL: string;
export declare function visitor(): Json;
export declare function visitorMessage(id?: string, text?: string, createdAt?: number): Json;
export declare function agentMessage(id: string, text: string, createdAt: number, extra?: Json): Json;
export declare function automatedMessage(id: string, text: string, createdAt: number): Json;
export declare function botMessage(id: string, text: string, createdAt: number): Json;
export declare function visitorFileMessage(
	id: string,
	createdAt: number,
	files: Array<{ name: string; link: string; mimeType?: string; size?: number }>,
	options?: { text?: string; legacy?: boolean },
): Json;
export declare function conversationStarted(message?: Json): Json & { message: Json; visitor: Json };
export declare function conversationFragment(messages: Json[]): Json & { messages: Json[] };
export declare function conversationTranscript(messages?: Json[]): Json & { messages: Json[] };
