import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The token that protects the Brevo Conversations Trigger's URL. It lives in a credential, not in a
 * node parameter, so n8n encrypts it at rest and leaves it out of workflow JSON, exports, templates
 * and stored executions. Brevo signs nothing and its webhook form takes only a URL, so the token
 * travels as the `token` query parameter; no request is sent with it, hence no authenticate/test.
 */
export class BrevoConversationsWebhookApi implements ICredentialType {
	name = 'brevoConversationsWebhookApi';

	displayName = 'Brevo Conversations Webhook API';

	icon = {
		light: 'file:brevoConversations.svg',
		dark: 'file:brevoConversations.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-brevo-conversations/n8n-nodes-brevo-conversations#the-webhook-token';

	properties: INodeProperties[] = [
		{
			displayName:
				'Brevo calls the trigger\'s URL with ?token= and this token appended. Use at least 16 letters and digits, e.g. the output of "openssl rand -hex 16".',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. 3f9c2a7d41b84e6f9a0c5d2e8b7f1a64',
			description:
				'A random string of at least 16 letters and digits that Brevo must send as the token query parameter of the webhook URL',
		},
	];
}
