/**
 * `npm run bench:equivalence`: proposal 1's equivalence test. Not part of `npm test` (jest.config.js
 * at the root only looks in test/): it needs the pinned n8n runtime in .cache/ and ≈ a minute.
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/bench/upstream'],
	testMatch: ['**/*.test.js'],
	transform: {},
};
