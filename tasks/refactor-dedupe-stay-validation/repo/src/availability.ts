import type { Booking } from './types';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** True when `roomId` has no booking overlapping [checkIn, checkOut). Back-to-back stays are fine. */
export function isAvailable(
	bookings: Booking[],
	roomId: string,
	checkIn: string,
	checkOut: string,
): boolean {
	if (!ISO_DAY.test(checkIn) || !ISO_DAY.test(checkOut)) {
		throw new Error(`expected YYYY-MM-DD dates, got ${checkIn} / ${checkOut}`);
	}
	const start = Date.parse(`${checkIn}T00:00:00Z`);
	const end = Date.parse(`${checkOut}T00:00:00Z`);
	if (end <= start) throw new Error('check-out has to be later than check-in');
	return !bookings.some(
		(b) => b.roomId === roomId && b.checkIn.getTime() < end && start < b.checkOut.getTime(),
	);
}
