'use strict';
/**
 * End-to-end, `npm start` as a new user runs it: e2e/start.js in a fresh n8n home (START_HOME) on a
 * free port, until its banner says it is running; then every command the banner prints is run
 * exactly as printed, from the repository folder, as a user would paste it. Each curl command must be
 * answered 200 and make the example's workflow answer the visitor through the sandbox (the sandbox logs
 * the reply in npm start's output), and, run again, be a duplicate that starts nothing; each
 * `npm run chat` command must do the same every time it runs. The AI example's handover must then
 * pause its conversation, through the sandbox's echo of the handover message, as the README's
 * conversation shows. Finally Ctrl-C (SIGINT) must stop n8n and the fakes.
 *
 *   node --test e2e/start.e2e.test.js      (part of npm run test:e2e)
 *
 * On n8n 1.x the trigger examples cannot be published from n8n's CLI, so the banner points at the
 * test URL, which needs a click in the editor: only the banner is checked there.
 */
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');
const { DEFAULT_VERSION, ROOT } = require('./runtime');
const { exec, freePort, waitFor } = require('./n8n');

const RUNTIME = process.env.E2E_RUNTIME || DEFAULT_VERSION;
const n8n1 = /^1\./.test(RUNTIME);
const state = { output: '', child: undefined, home: undefined };

/** Lines of npm start's output in which the sandbox logged a reply sent to a visitor. */
const replies = () => state.output.split('\n').filter((l) => /fake-brevo: .* POST \/v3\/conversations\/messages → 200/.test(l));
/** Lines in which the sandbox logged n8n's answer to its echo of a sent message (one per trigger example). */
const echoes = () => state.output.split('\n').filter((l) => /fake-brevo: .* echo of message \S+ → POST /.test(l));

describe(`npm start (${RUNTIME}): the banner's commands work as printed`, () => {
	before(
		async () => {
			state.home = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-start-'));
			const env = { ...process.env, START_HOME: state.home, N8N_PORT: String(await freePort()), E2E_RUNTIME: RUNTIME };
			for (const name of ['BREVO_API_KEY', 'OPENAI_API_KEY']) delete env[name]; // the sandbox and the fake model
			state.child = spawn(process.execPath, [path.join(__dirname, 'start.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
			state.child.stdout.on('data', (d) => (state.output += d));
			state.child.stderr.on('data', (d) => (state.output += d));
			await waitFor(
				() => {
					if (state.child.exitCode !== null) throw new Error(`npm start exited (${state.child.exitCode}):\n${state.output.slice(-3000)}`);
					return /is running:[\s\S]*Ctrl-C stops/.test(state.output);
				},
				15 * 60 * 1000, // a first run installs n8n
				'npm start to print its banner',
				500,
			);
		},
		{ timeout: 16 * 60 * 1000 },
	);

	after(async () => {
		const { child } = state;
		if (child && child.exitCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGKILL');
			await exited;
		}
		if (state.home) fs.rmSync(state.home, { recursive: true, force: true });
	});

	const banner = () => state.output.slice(state.output.indexOf('is running:'));
	const printed = (start) =>
		banner()
			.split('\n')
			.map((l) => l.trim())
			.filter((l) => start.test(l));
	const commands = () => printed(/^curl /);
	const chats = () => printed(/^(\S+=\S+ )*npm run chat -- /);
	/** Runs a printed command as printed, from the repository folder; resolves curl's status and answer, or npm run chat's last line. */
	const run = async (command) => {
		const curl = command.startsWith('curl ');
		// curl's -w (after the command) only adds the status code to what it prints.
		const { stdout } = await exec('sh', ['-c', curl ? `${command} -s -w '\\n%{http_code}'` : command], { cwd: ROOT, timeoutMs: 60000 });
		const lines = stdout.trim().split('\n');
		return curl ? { status: lines.pop(), answer: lines.join('\n') } : { status: /→ (\d{3}) /.exec(lines[lines.length - 1])?.[1], answer: lines[lines.length - 1] };
	};
	/** Waits until the sandbox has logged n8n's answer to the echo of every message it stored. */
	const echoesDone = () => waitFor(() => echoes().length === 3 * replies().length, 30000, 'the sandbox to echo every sent message to the 3 trigger examples', 200);

	test('the banner prints, per trigger example, a chat command and a curl command with its sample event, its URL and the token file', () => {
		const printed = commands();
		assert.equal(printed.length, 3, banner());
		assert.equal(chats().length, 3, banner());
		for (const example of ['visitor-reply', 'conversation-auto-reply', 'ai-agent-reply']) assert.ok(chats().some((c) => c.includes(`npm run chat -- ${example} "`)), banner());
		assert.ok(!/is not registered/.test(state.output.slice(0, state.output.indexOf('is running:'))), 'npm start must wait for the webhooks without n8n logging unknown-webhook errors');
		for (const [example, webhookId] of [
			['visitor-reply.json', '0c9a54b2-3f1e-4d7a-8b6c-5e2f1a9d7c40'],
			['conversation-auto-reply.json', '7d2e9c41-5b6a-4f83-a1d0-3c8e6f2b9a15'],
			['ai-agent-reply.json', '5d0f3c6e-8a21-4b7e-9f43-1c2a7b9e6d12'],
		]) {
			const command = printed.find((c) => c.includes(`@examples/events/${example}`));
			assert.ok(command, `no command for ${example}:\n${banner()}`);
			assert.match(command, new RegExp(`/${n8n1 ? 'webhook-test' : 'webhook'}/${webhookId}/webhook\\?token=\\$\\(cat [^)]*webhook-token\\)"$`));
			assert.ok(fs.existsSync(path.join(ROOT, 'examples', 'events', example)));
		}
		assert.ok(!banner().includes(fs.readFileSync(path.join(state.home, 'webhook-token'), 'utf8').trim()), 'the banner must not print the token');
	});

	const live = { skip: n8n1 && 'n8n 1.x: the test URL needs Execute workflow in the editor' };

	test('each printed curl command, run as printed, is answered 200 and the example answers the visitor; run again, it is a duplicate', live, async () => {
		for (const command of commands()) {
			const before = replies().length;
			const first = await run(command);
			assert.equal(first.status, '200', `${command}\n→ ${first.answer}`);
			await waitFor(() => replies().length > before, 30000, `the sandbox to log a reply after: ${command}`, 200);
			const again = await run(command);
			assert.equal(again.status, '200', `${command}\n→ ${again.answer}`);
			assert.match(again.answer, /already started the workflow/);
		}
		await echoesDone();
		assert.equal(replies().length, 3, replies().join('\n'));
	});

	test('each printed npm run chat command starts its example every time it runs', live, async () => {
		for (const command of chats()) {
			for (let round = 0; round < 2; round++) {
				const before = replies().length;
				const { status, answer } = await run(command);
				assert.equal(status, '200', `${command}\n→ ${answer}`);
				assert.match(answer, /Workflow was started/);
				await waitFor(() => replies().length > before, 30000, `the sandbox to log a reply after: ${command}`, 200);
			}
		}
		await echoesDone();
	});

	test("the AI example hands over, and the sandbox's echo of the handover pauses the conversation, as the README shows", live, async () => {
		const chat = chats().find((c) => c.includes('npm run chat -- ai-agent-reply '));
		const before = replies().length;
		const handover = await run(chat.replace(/"[^"]*"$/, '"Can I talk to a person, please?"'));
		assert.match(handover.answer, /Workflow was started/);
		await waitFor(() => replies().length > before, 30000, 'the sandbox to log the handover message', 200);
		await echoesDone();
		const echoed = echoes().filter((l) => l.includes('/webhook/5d0f3c6e-8a21-4b7e-9f43-1c2a7b9e6d12/webhook → 200'));
		assert.ok(echoed.length > 0, echoes().join('\n'));
		const silence = await run(chat.replace(/"[^"]*"$/, '"Hello? Is anybody there?"'));
		assert.equal(silence.status, '200');
		assert.match(silence.answer, /Paused: a human agent is answering this conversation/);
		assert.ok(!echoes().join('\n').includes(fs.readFileSync(path.join(state.home, 'webhook-token'), 'utf8').trim()), 'the sandbox must not log the token');
	});

	test('Ctrl-C stops n8n and the fakes', async () => {
		const { child } = state;
		const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
		child.kill('SIGINT');
		const result = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 30000))]);
		assert.deepEqual(result, { code: 0, signal: null });
	});
});
