export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: any;
	rawBody: string;
	at: number;
}
export interface Echo {
	url: string;
	messageId: string;
	status: number;
	answer: string;
}
export declare class FakeBrevo {
	constructor(options?: {
		apiKey?: string | string[];
		partnerKey?: string;
		quota?: { limit: number; windowMs: number };
		record?: boolean;
		latencyMs?: number;
		knownVisitorsOnly?: boolean;
		webhookUrl?: string | string[];
		onEcho?: (echo: Echo) => void;
	});
	webhookUrls: string[];
	echoes: Echo[];
	echoesSettled(): Promise<void>;
	conversationOf(visitorId: string): { conversationId: string; visitor: Record<string, any> };
	/** A Brevo webhook body with `conversationId` and `visitor.id` (checked when called). */
	seedEvent(event: object): void;
	latencyMs: number;
	held: number;
	requests: RecordedRequest[];
	messages: Map<string, Record<string, any>>;
	requestCount: number;
	readonly baseUrl: string;
	start(port?: number): Promise<string>;
	stop(): Promise<void>;
	failNext(
		status: number,
		body?: unknown,
		options?: { count?: number; headers?: Record<string, string> },
	): void;
	blockIp(blocked?: boolean): void;
	knownVisitorsOnly: boolean;
	seedVisitor(visitorId: string): void;
	knowsVisitor(visitorId: string): boolean;
	seedVisitorMessage(visitorId?: string, text?: string): string;
	seedAgentMessage(
		id: string,
		fields?: { text?: string; visitorId?: string; isPushed?: boolean },
	): Record<string, any>;
	clearRequests(): void;
	files: Map<string, { data: Buffer; mimeType: string }>;
	seedFile(name: string, data: Buffer | string, mimeType: string, options?: { announceSize?: boolean; delayMs?: number; status?: number; redirectTo?: string }): string;
	missingFileUrl(name?: string): string;
}
