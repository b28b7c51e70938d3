// Removes dist/ before a build so files deleted from the source do not linger in the package.
const { rmSync } = require('node:fs');
const { join } = require('node:path');

rmSync(join(__dirname, '..', 'dist'), { recursive: true, force: true });
