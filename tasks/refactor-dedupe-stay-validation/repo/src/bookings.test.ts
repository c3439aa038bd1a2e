import { describe, expect, it } from 'vitest';
import { createBooking } from './bookings';
import { isAvailable } from './availability';

const ids = () => {
	let n = 0;
	return () => `bk-${++n}`;
};

describe('bookings', () => {
	it('creates a booking with its night count', () => {
		const b = createBooking(
			{ guest: ' Ada ', roomId: '12', checkIn: '2024-06-01', checkOut: '2024-06-04' },
			[],
			ids(),
		);
		expect(b).toMatchObject({ id: 'bk-1', guest: 'Ada', nights: 3 });
	});

	it('refuses overlapping stays but allows back-to-back ones', () => {
		const next = ids();
		const first = createBooking(
			{ guest: 'A', roomId: '12', checkIn: '2024-06-01', checkOut: '2024-06-04' },
			[],
			next,
		);
		expect(() =>
			createBooking(
				{ guest: 'B', roomId: '12', checkIn: '2024-06-03', checkOut: '2024-06-05' },
				[first],
				next,
			),
		).toThrow('room 12 is taken');
		expect(isAvailable([first], '12', '2024-06-04', '2024-06-06')).toBe(true);
		expect(isAvailable([first], '14', '2024-06-02', '2024-06-03')).toBe(true);
	});

	it('rejects malformed or reversed dates', () => {
		const req = { guest: 'A', roomId: '1', checkIn: '2024-06-05', checkOut: '2024-06-01' };
		expect(() => createBooking(req, [], ids())).toThrow();
		expect(() => createBooking({ ...req, checkIn: '06/01/2024' }, [], ids())).toThrow();
		expect(() => createBooking({ ...req, guest: ' ' }, [], ids())).toThrow('guest is required');
	});
});
