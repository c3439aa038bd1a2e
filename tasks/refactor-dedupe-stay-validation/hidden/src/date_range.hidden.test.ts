import { describe, expect, it } from 'vitest';
import { isAvailable } from './availability';
import { createBooking } from './bookings';
import { MAX_NIGHTS, parseStayRange, StayRangeError } from './date_range';
import { quoteStay } from './quote';

describe('parseStayRange', () => {
	it('returns UTC midnights and the night count', () => {
		const r = parseStayRange('2024-03-30', '2024-04-02');
		expect(r.nights).toBe(3);
		expect(r.checkIn.toISOString()).toBe('2024-03-30T00:00:00.000Z');
		expect(MAX_NIGHTS).toBe(28);
	});

	it('rejects bad input with StayRangeError and a clear message', () => {
		expect(() => parseStayRange('2024-3-1', '2024-03-05')).toThrow(/YYYY-MM-DD/);
		expect(() => parseStayRange('2023-02-29', '2023-03-05')).toThrow(/invalid date/);
		expect(() => parseStayRange('2024-03-05', '2024-03-05')).toThrow('checkOut must be after checkIn');
		expect(() => parseStayRange('2024-03-01', '2024-03-30')).toThrow('stays are limited to 28 nights');
		expect(() => parseStayRange('x', 'y')).toThrow(StayRangeError);
	});
});

describe('one rule everywhere', () => {
	it('quotes follow the 28-night limit and the same messages', () => {
		expect(() => quoteStay({ checkIn: '2024-03-01', checkOut: '2024-03-30', rate: 1 })).toThrow(
			'stays are limited to 28 nights',
		);
		expect(() => quoteStay({ checkIn: '2024-03-05', checkOut: '2024-03-01', rate: 1 })).toThrow(
			'checkOut must be after checkIn',
		);
	});

	it('bookings reject days that do not exist', () => {
		const req = { guest: 'A', roomId: '1', checkIn: '2024-02-30', checkOut: '2024-03-02' };
		expect(() => createBooking(req, [], () => 'x')).toThrow(StayRangeError);
	});

	it('availability checks use the same errors', () => {
		expect(() => isAvailable([], '1', '2024-06-05', '2024-06-01')).toThrow(StayRangeError);
		expect(() => isAvailable([], '1', '06/05/2024', '2024-06-07')).toThrow(/YYYY-MM-DD/);
	});
});
