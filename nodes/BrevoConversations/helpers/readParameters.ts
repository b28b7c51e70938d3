import type { IExecuteSingleFunctions } from 'n8n-workflow';
import { toEmailValue, toTextValue, type TextRules } from './fieldValues';
import { toInputError } from './itemErrors';

/** Reads one text parameter of the current item and validates it; see `toTextValue`. */
export function readText(
	ctx: IExecuteSingleFunctions,
	name: string,
	field: string,
	rules: TextRules,
): string | undefined {
	try {
		return toTextValue(ctx.getNodeParameter(name, ''), field, rules);
	} catch (error) {
		throw toInputError(ctx, error);
	}
}

export function readRequiredId(ctx: IExecuteSingleFunctions, name: string, field: string): string {
	return readText(ctx, name, field, { required: true, trim: true }) as string;
}

export function readEmail(ctx: IExecuteSingleFunctions, name: string, field: string): string {
	try {
		return toEmailValue(ctx.getNodeParameter(name, ''), field);
	} catch (error) {
		throw toInputError(ctx, error);
	}
}
