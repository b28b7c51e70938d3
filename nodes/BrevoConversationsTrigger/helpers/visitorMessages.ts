import type { IDataObject } from 'n8n-workflow';
import { eventMessages, isRecord, stringField, withoutUndefined } from './webhookEvent';

/**
 * What the visitor wrote and sent. Brevo's events also carry human agents' messages, automated
 * messages (`isPushed`) and its own chat bot's (`isBot`); a chat bot must answer only the visitor.
 */
export function isVisitorMessage(message: IDataObject): boolean {
	return message.type === 'visitor' && message.isPushed !== true && message.isBot !== true;
}

function createdAt(message: IDataObject): number {
	return typeof message.createdAt === 'number' ? message.createdAt : Number.NEGATIVE_INFINITY;
}

/**
 * Messages oldest first. Brevo's order inside `messages[]` is not guaranteed, so they are sorted
 * by `createdAt`; the sort is stable, so on equal or missing timestamps the order Brevo sent wins
 * (and the last one counts as the newest).
 */
export function oldestFirst(messages: IDataObject[]): IDataObject[] {
	return [...messages].sort((a, b) => createdAt(a) - createdAt(b));
}

/** The visitor's messages of an event, oldest first. */
export function visitorMessagesOf(event: IDataObject): IDataObject[] {
	return oldestFirst(eventMessages(event).filter(isVisitorMessage));
}

/** A file a visitor sent, as Brevo describes it, in one shape for old and new payloads. */
export interface MessageFile extends IDataObject {
	messageId?: string;
	name?: string;
	link?: string;
	mimeType?: string;
	size?: number;
}

function fileOf(file: IDataObject, messageId: string | undefined): MessageFile {
	// Webhook docs: `{name,link,mimeType}`; older payloads `file{filename,url}`; Brevo's current SDK
	// models `attachments[]{fileName,url}`.
	return withoutUndefined<MessageFile>({
		messageId,
		name: stringField(file, 'name') ?? stringField(file, 'filename') ?? stringField(file, 'fileName'),
		link: stringField(file, 'link') ?? stringField(file, 'url'),
		mimeType: stringField(file, 'mimeType'),
		size: typeof file.size === 'number' ? file.size : undefined,
	});
}

/**
 * The files attached to one message: its `file` and its `attachments[]`. A payload that describes
 * the same file in both lists it once (same link).
 */
export function filesOf(message: IDataObject): MessageFile[] {
	const messageId = stringField(message, 'id');
	const files = isRecord(message.file) ? [message.file] : [];
	if (Array.isArray(message.attachments)) files.push(...message.attachments.filter(isRecord));
	const seen = new Set<string>();
	return files
		.map((file) => fileOf(file, messageId))
		.filter((file) => {
			if (file.link === undefined) return true;
			if (seen.has(file.link)) return false;
			seen.add(file.link);
			return true;
		});
}
