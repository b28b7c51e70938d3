import type { IExecuteSingleFunctions } from 'n8n-workflow';
import { toEmailValue, toReceivedFromValue, toTextValue, type TextRules } from './fieldValues';
import { toInputError } from './itemErrors';

/** Reads one parameter of the current item through `convert`, whose field errors become the node's input errors. */
function readConverted<T>(ctx: IExecuteSingleFunctions, name: string, convert: (raw: unknown) => T): T {
	try {
		return convert(ctx.getNodeParameter(name, ''));
	} catch (error) {
		throw toInputError(ctx, error);
	}
}

/** Reads one text parameter of the current item and validates it; see `toTextValue`. */
export function readText(
	ctx: IExecuteSingleFunctions,
	name: string,
	field: string,
	rules: TextRules,
): string | undefined {
	return readConverted(ctx, name, (raw) => toTextValue(raw, field, rules));
}

export function readRequiredId(ctx: IExecuteSingleFunctions, name: string, field: string): string {
	return readText(ctx, name, field, { required: true, trim: true }) as string;
}

export function readEmail(ctx: IExecuteSingleFunctions, name: string, field: string): string {
	return readConverted(ctx, name, (raw) => toEmailValue(raw, field));
}

export function readReceivedFrom(
	ctx: IExecuteSingleFunctions,
	name: string,
	field: string,
	rules: TextRules,
): string | undefined {
	return readConverted(ctx, name, (raw) => toReceivedFromValue(raw, field, rules));
}
