// n8n-core writes <N8N_USER_FOLDER>/.n8n/config on first use; keep it out of the user's home.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const userFolder = mkdtempSync(join(tmpdir(), 'brevo-conv-jest-'));
process.env.N8N_USER_FOLDER = userFolder;
// One folder per test file; removed when the file's tests are done.
afterAll(() => rmSync(userFolder, { recursive: true, force: true }));
process.env.N8N_LOG_LEVEL = 'silent';
// The fake Brevo server listens on 127.0.0.1, which n8n's SSRF protection would refuse.
process.env.N8N_SSRF_PROTECTION_ENABLED = 'false';
