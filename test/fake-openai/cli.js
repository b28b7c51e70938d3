#!/usr/bin/env node
'use strict';
/**
 * Runs the fake OpenAI-compatible model (server.js) on its own, as the `npm start` sandbox for
 * examples/ai-agent-reply.json when no OPENAI_API_KEY is given:
 *
 *   node test/fake-openai/cli.js [--port 0] [--api-key sandbox-openai-key] [--quiet]
 *
 * Prints its Base URL as the first stdout line (`http://127.0.0.1:<port>/v1`; give it to an
 * "OpenAI" credential with the API key), then one line per request unless --quiet. It plays the
 * scripted shop assistant of shopAssistant.js (shipping to Portugal, handover on "a person").
 * Listens on 127.0.0.1 only; stops on Ctrl-C / SIGTERM.
 */
const { FakeOpenAi } = require('./server');
const { shopAssistant } = require('./shopAssistant');
const { runSandbox } = require('../localServer');

runSandbox('fake OpenAI', (apiKey) => new FakeOpenAi({ apiKey, script: shopAssistant }), { apiKey: 'sandbox-openai-key' });
