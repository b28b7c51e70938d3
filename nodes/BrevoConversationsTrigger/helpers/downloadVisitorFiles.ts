import type { IBinaryData, IBinaryKeyData, IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { fileTarget, refusedConnection } from './fileAddress';
import type { MessageFile } from './visitorMessages';

export interface FileDownloadSettings {
	/** Larger files are skipped (checked on the announced size and while reading) */
	maxBytes: number;
	/** All files of one event together: once reached, the rest are skipped */
	maxTotalBytes: number;
	/** Files of one event past this count are skipped */
	maxFiles: number;
	/** Per file, for the whole download */
	timeoutMs: number;
	/** Hosts fetched even when their address is internal (a self-hosted file server) */
	allowedHosts: string[];
}

/** Downloads of one event in flight at once: a crafted event with hundreds of links opens 3 connections, not hundreds. */
export const DOWNLOADS_IN_FLIGHT = 3;
/** Redirects followed per file, each hop checked like the link itself */
export const MAX_REDIRECTS = 3;

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
function httpUrl(link: string | undefined, base?: URL): URL | Skipped {
	if (link === undefined) return { reason: 'The message has no link to the file' };
	let url: URL;
	try {
		url = new URL(link, base);
	} catch {
		return { reason: 'The link is not a valid URL' };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: 'The link is not an http(s) URL' };
	return url;
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** The response body n8n hands over for `encoding: 'stream'` (older n8n: Node's http.IncomingMessage, with the connection's socket) */
interface Readable extends AsyncIterable<Buffer> {
	destroy(): void;
	socket?: { remoteAddress?: string } | null;
}

const tooLarge = (settings: FileDownloadSettings, bytes?: number): Skipped => ({
	reason: `The file is ${bytes === undefined ? 'larger than' : `${megabytes(bytes)}, over`} the ${megabytes(settings.maxBytes)} limit`,
});

interface Response {
	body: Readable;
	headers: IDataObject;
	statusCode: number;
}

/** What is left of the event's total size limit; shared by its downloads. */
interface Budget {
	remainingBytes: number;
}

/** GET with each redirect hop checked like the link itself (n8n would follow them to any host). */
async function getFollowingCheckedRedirects(ctx: IWebhookFunctions, link: URL, settings: FileDownloadSettings): Promise<Response | Skipped> {
	let url = link;
	for (let hop = 0; ; hop++) {
		const target = await fileTarget(ctx, url, settings.allowedHosts);
		if ('refused' in target) return { reason: `The link was not followed: ${target.refused}` };
		const response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url: target.url.toString(),
			...(target.hostHeader === undefined ? {} : { headers: { Host: target.hostHeader } }),
			...(target.servername === undefined ? {} : { agentOptions: { servername: target.servername } }),
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: settings.timeoutMs,
			// Bounds the body too: `timeout` alone stops waiting for the headers, not a slow download.
			abortSignal: AbortSignal.timeout(settings.timeoutMs),
		})) as Response;
		// Before anything of the answer is used: where the connection really led (older n8n).
		const reached = target.checkConnection ? refusedConnection(response.body.socket?.remoteAddress) : undefined;
		if (reached !== undefined) {
			response.body.destroy();
			return { reason: `The link was not followed: ${reached}` };
		}
		const location = response.headers.location;
		if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== 'string') return response;
		response.body.destroy();
		if (hop >= MAX_REDIRECTS) return { reason: `The file server redirected more than ${MAX_REDIRECTS} times` };
		const next = httpUrl(location, url);
		if ('reason' in next) return { reason: `The file server redirected to an unusable link: ${next.reason}` };
		url = next;
	}
}

async function fetchFile(ctx: IWebhookFunctions, file: MessageFile, settings: FileDownloadSettings, budget: Budget): Promise<Fetched | Skipped> {
	const url = httpUrl(file.link);
	if ('reason' in url) return url;
	// Brevo announces the size: a file known to be too large is not requested at all.
	if (file.size !== undefined && file.size > settings.maxBytes) return tooLarge(settings, file.size);
	const response = await getFollowingCheckedRedirects(ctx, url, settings);
	if ('reason' in response) return response;
	const { body, headers, statusCode } = response;
	// Only a 2xx answer carries the file: a 304 or 204 has no body to store.
	if (statusCode < 200 || statusCode >= 300 || statusCode === 204 || statusCode === 205) {
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
	// What a skipped file took from the event's total is given back: it is not kept.
	const skip = (skipped: Skipped): Skipped => {
		body.destroy();
		budget.remainingBytes += received;
		return skipped;
	};
	try {
		for await (const chunk of body) {
			received += chunk.length;
			budget.remainingBytes -= chunk.length;
			if (received > settings.maxBytes) return skip(tooLarge(settings));
			if (budget.remainingBytes < 0) {
				return skip({ reason: `The event's files are over the ${megabytes(settings.maxTotalBytes)} limit for all files of an event` });
			}
			chunks.push(chunk);
		}
	} catch (error) {
		return skip({ reason: reasonOf(error, settings) });
	}
	if (received === 0) return { reason: 'The file server sent an empty file' };
	const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'].split(';')[0].trim() : undefined;
	return { data: Buffer.concat(chunks), mimeType: file.mimeType ?? contentType };
}

function reasonOf(error: unknown, settings: FileDownloadSettings): string {
	const message = error instanceof Error ? error.message : String(error);
	if (/abort|cancel|timeout|timed out/i.test(message)) return `The download took longer than ${settings.timeoutMs / 1000} s`;
	return `The download failed: ${message}`;
}

/** One file, start to stored: fetched and saved as binary data, or the reason it was not. */
async function downloadOne(
	ctx: IWebhookFunctions,
	file: MessageFile,
	settings: FileDownloadSettings,
	budget: Budget,
): Promise<{ data: IBinaryData; size: number } | Skipped> {
	try {
		const fetched = await fetchFile(ctx, file, settings, budget);
		if ('reason' in fetched) return fetched;
		// Inside the try: a binary-data store that fails (disk full, S3 down) costs the file, not the event.
		const data = await ctx.helpers.prepareBinaryData(fetched.data, file.name, fetched.mimeType);
		return { data, size: fetched.data.length };
	} catch (error) {
		return { reason: reasonOf(error, settings) };
	}
}

/**
 * Downloads the visitor's files into binary properties. A file that cannot be fetched never fails
 * the event: it is listed in `skippedFiles` with the reason, and the workflow starts anyway (losing a
 * visitor's message because of a broken link would be worse than a missing file). At most
 * DOWNLOADS_IN_FLIGHT files are fetched at once, at most `maxFiles` per event, and all of them
 * together stop at `maxTotalBytes`, so no event can make n8n hold more than that in memory.
 */
export async function downloadVisitorFiles(
	ctx: IWebhookFunctions,
	files: MessageFile[],
	settings: FileDownloadSettings,
): Promise<DownloadedFiles> {
	const budget: Budget = { remainingBytes: settings.maxTotalBytes };
	const toFetch = files.slice(0, settings.maxFiles);
	const results: Array<Awaited<ReturnType<typeof downloadOne>>> = [];
	let next = 0;
	const worker = async () => {
		while (next < toFetch.length) {
			const index = next++;
			results[index] = await downloadOne(ctx, toFetch[index], settings, budget);
		}
	};
	await Promise.all(Array.from({ length: Math.min(DOWNLOADS_IN_FLIGHT, toFetch.length) }, worker));
	const overCount: Skipped = { reason: `Over the limit of ${settings.maxFiles} files per event` };

	const downloaded: DownloadedFiles = { binary: {}, downloadedFiles: [], skippedFiles: [] };
	files.forEach((file, index) => {
		const result = index < toFetch.length ? results[index] : overCount;
		if ('reason' in result) {
			downloaded.skippedFiles.push({ fileName: file.name, messageId: file.messageId, link: file.link, reason: result.reason });
			return;
		}
		const property = `${BINARY_PROPERTY_PREFIX}${downloaded.downloadedFiles.length}`;
		downloaded.binary[property] = result.data;
		downloaded.downloadedFiles.push({
			binaryProperty: property,
			fileName: result.data.fileName,
			mimeType: result.data.mimeType,
			fileSize: result.size,
			messageId: file.messageId,
		});
	});
	return downloaded;
}
