import { describe, expect, it } from 'vitest';
import { quoteStay } from './quote';

describe('quotes', () => {
	it('charges the weekend surcharge on Friday and Saturday nights', () => {
		// Thu 2024-06-06 .. Mon 2024-06-10: Thu, Fri, Sat, Sun nights
		expect(
			quoteStay({
				checkIn: '2024-06-06',
				checkOut: '2024-06-10',
				rate: 10_000,
				weekendSurcharge: 0.25,
			}),
		).toEqual({
			nights: 4,
			weekendNights: 2,
			total: 45_000,
		});
	});

	it('rejects empty stays and impossible days', () => {
		expect(() => quoteStay({ checkIn: '2024-06-06', checkOut: '2024-06-06', rate: 1 })).toThrow();
		expect(() => quoteStay({ checkIn: '2023-02-29', checkOut: '2023-03-02', rate: 1 })).toThrow();
	});
});
