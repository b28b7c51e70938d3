import type { IBinaryKeyData, IDataObject, IWebhookFunctions } from 'n8n-workflow';
import type { MessageFile } from './visitorMessages';

export interface FileDownloadSettings {
	/** Larger files are skipped (checked on the announced size and while reading) */
	maxBytes: number;
	/** Per file, for the whole download */
	timeoutMs: number;
}

export interface DownloadedFiles {
	/** `attachment_0`, `attachment_1`, … in the order of the event's files, skipped ones left out */
	binary: IBinaryKeyData;
	/** One entry per binary property: which file it holds */
	downloadedFiles: IDataObject[];
	/** One entry per file that could not be downloaded, with the reason */
	skippedFiles: IDataObject[];
}

export const BINARY_PROPERTY_PREFIX = 'attachment_';

/** Why a file was not downloaded */
interface Skipped {
	reason: string;
}

interface Fetched {
	data: Buffer;
	mimeType?: string;
}

/** The link as an http(s) URL: anything else (data:, file:, a relative path) is never fetched. */
function httpUrl(link: string | undefined): string | Skipped {
	if (link === undefined) return { reason: 'The message has no link to the file' };
	let url: URL;
	try {
		url = new URL(link);
	} catch {
		return { reason: 'The link is not a valid URL' };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: 'The link is not an http(s) URL' };
	return url.toString();
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

interface Readable extends AsyncIterable<Buffer> {
	destroy(): void;
}

const tooLarge = (settings: FileDownloadSettings, bytes?: number): Skipped => ({
	reason: `The file is ${bytes === undefined ? 'larger than' : `${megabytes(bytes)}, over`} the ${megabytes(settings.maxBytes)} limit`,
});

async function fetchFile(ctx: IWebhookFunctions, file: MessageFile, settings: FileDownloadSettings): Promise<Fetched | Skipped> {
	const url = httpUrl(file.link);
	if (typeof url !== 'string') return url;
	// Brevo announces the size: a file known to be too large is not requested at all.
	if (file.size !== undefined && file.size > settings.maxBytes) return tooLarge(settings, file.size);
	const response = (await ctx.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: settings.timeoutMs,
		// Bounds the body too: `timeout` alone stops waiting for the headers, not a slow download.
		abortSignal: AbortSignal.timeout(settings.timeoutMs),
	})) as { body: Readable; headers: IDataObject; statusCode: number };
	const { body, headers, statusCode } = response;
	if (statusCode >= 400) {
		body.destroy();
		return { reason: `The file server answered HTTP ${statusCode}` };
	}
	const announced = Number(headers['content-length']);
	if (Number.isFinite(announced) && announced > settings.maxBytes) {
		body.destroy();
		return tooLarge(settings, announced);
	}
	// A server that announces no size (or the wrong one) is cut off at the limit, not read to the end.
	const chunks: Buffer[] = [];
	let received = 0;
	for await (const chunk of body) {
		received += chunk.length;
		if (received > settings.maxBytes) {
			body.destroy();
			return tooLarge(settings);
		}
		chunks.push(chunk);
	}
	const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'].split(';')[0].trim() : undefined;
	return { data: Buffer.concat(chunks), mimeType: file.mimeType ?? contentType };
}

function reasonOf(error: unknown, settings: FileDownloadSettings): string {
	const message = error instanceof Error ? error.message : String(error);
	if (/abort|cancel|timeout|timed out/i.test(message)) return `The download took longer than ${settings.timeoutMs / 1000} s`;
	return `The download failed: ${message}`;
}

/**
 * Downloads the visitor's files into binary properties. A file that cannot be fetched never fails
 * the event: it is listed in `skippedFiles` with the reason, and the workflow starts anyway (losing a
 * visitor's message because of a broken link would be worse than a missing file). Files are fetched
 * at the same time, so the webhook is answered after the slowest one, not after their sum.
 */
export async function downloadVisitorFiles(
	ctx: IWebhookFunctions,
	files: MessageFile[],
	settings: FileDownloadSettings,
): Promise<DownloadedFiles> {
	const results = await Promise.all(
		files.map(async (file) => {
			try {
				return { file, result: await fetchFile(ctx, file, settings) };
			} catch (error) {
				return { file, result: { reason: reasonOf(error, settings) } };
			}
		}),
	);
	const downloaded: DownloadedFiles = { binary: {}, downloadedFiles: [], skippedFiles: [] };
	for (const { file, result: fetched } of results) {
		if ('reason' in fetched) {
			downloaded.skippedFiles.push({ fileName: file.name, messageId: file.messageId, link: file.link, reason: fetched.reason });
			continue;
		}
		const property = `${BINARY_PROPERTY_PREFIX}${downloaded.downloadedFiles.length}`;
		const binary = await ctx.helpers.prepareBinaryData(fetched.data, file.name, fetched.mimeType);
		downloaded.binary[property] = binary;
		downloaded.downloadedFiles.push({
			binaryProperty: property,
			fileName: binary.fileName,
			mimeType: binary.mimeType,
			fileSize: fetched.data.length,
			messageId: file.messageId,
		});
	}
	return downloaded;
}
