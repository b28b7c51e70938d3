'use strict';
/**
 * A WooCommerce order as its REST API v3 returns it (GET /wp-json/wc/v3/orders/<id>), which is also
 * the body of an `order.*` webhook delivery: the fields WooCommerce documents, with plausible values.
 * `customerId` 0 is a guest. `extra` overrides or adds fields (a tracking number in `meta_data`).
 */
function orderBody({ id, status, customerId, email, total = '59.90', modified = '2026-12-06T10:00:00', extra = {} }) {
	const address = { first_name: 'Jane', last_name: 'Doe', company: '', address_1: '1 Main St', address_2: '', city: 'Lyon', state: '', postcode: '69001', country: 'FR' };
	return {
		id,
		parent_id: 0,
		number: String(id),
		order_key: `wc_order_${String(id).padStart(13, '0')}`,
		created_via: 'checkout',
		version: '9.4.2',
		status,
		currency: 'EUR',
		date_created: '2026-12-06T09:00:00',
		date_created_gmt: '2026-12-06T08:00:00',
		date_modified: modified,
		date_modified_gmt: modified,
		discount_total: '0.00',
		discount_tax: '0.00',
		shipping_total: '4.90',
		shipping_tax: '0.00',
		cart_tax: '0.00',
		total,
		total_tax: '0.00',
		prices_include_tax: true,
		customer_id: customerId,
		customer_ip_address: '203.0.113.7',
		customer_user_agent: 'Mozilla/5.0',
		customer_note: '',
		billing: { ...address, email, phone: '+33 4 00 00 00 00' },
		shipping: { ...address, phone: '' },
		payment_method: 'bacs',
		payment_method_title: 'Direct bank transfer',
		transaction_id: '',
		date_paid: status === 'pending' ? null : '2026-12-06T09:05:00',
		date_completed: status === 'completed' ? modified : null,
		cart_hash: 'c4ca4238a0b923820dcc509a6f75849b',
		meta_data: [],
		line_items: [{ id: 1, name: 'Mug', product_id: 93, variation_id: 0, quantity: 2, tax_class: '', subtotal: '55.00', total: '55.00', sku: 'MUG-1', price: 27.5 }],
		tax_lines: [],
		shipping_lines: [{ id: 2, method_title: 'Flat rate', method_id: 'flat_rate', total: '4.90' }],
		fee_lines: [],
		coupon_lines: [],
		refunds: status === 'refunded' ? [{ id: 900, reason: '', total: `-${total}` }] : [],
		...extra,
	};
}

module.exports = { orderBody };
