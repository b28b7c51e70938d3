import type { INodePropertyRouting, PostReceiveAction, PreSendAction } from 'n8n-workflow';
import { throwOnBrevoError } from './brevoErrors';

/**
 * The routing of one operation: its static method and path, the one preSend hook that validates the
 * item and builds the request, then Brevo's answer checked for errors before any output shaping.
 * `paginate` hands the request to `sendWithRequestPolicy` (see there: rate limits, parallelism).
 * Everything here is static, not `={{…}}`: each expression would be evaluated several times per
 * item by n8n's routing engine.
 */
export function brevoRouting(o: {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	path: string;
	buildRequest: PreSendAction;
	shapeOutput?: PostReceiveAction;
}): INodePropertyRouting {
	return {
		request: { method: o.method, url: o.path },
		send: { preSend: [o.buildRequest], paginate: true },
		output: { postReceive: o.shapeOutput ? [throwOnBrevoError, o.shapeOutput] : [throwOnBrevoError] },
	};
}
