'use strict';
/**
 * The chat visitor ID the order examples send for a customer: the first 32 hex characters of
 * HMAC-SHA256(secret, customer ID), as the shop's page sets it (docs/order-updates.md). One
 * definition for the e2e files that check what reached the fake Brevo.
 */
const { createHmac } = require('node:crypto');

const VISITOR_ID_LENGTH = 32;

/** @param {string} secret the Crypto credential's Hmac Secret @param {string|number} customerId */
const visitorIdFor = (secret, customerId) => createHmac('sha256', secret).update(String(customerId)).digest('hex').slice(0, VISITOR_ID_LENGTH);

module.exports = { VISITOR_ID_LENGTH, visitorIdFor };
