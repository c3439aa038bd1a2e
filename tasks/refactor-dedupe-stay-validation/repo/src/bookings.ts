import { isAvailable } from './availability';
import type { Booking, StayRequest } from './types';

const DAY_MS = 86_400_000;

export function createBooking(
	request: StayRequest,
	existing: Booking[],
	nextId: () => string,
): Booking {
	if (!request.guest.trim()) throw new Error('guest is required');
	if (
		!/^\d{4}-\d{2}-\d{2}$/.test(request.checkIn) ||
		!/^\d{4}-\d{2}-\d{2}$/.test(request.checkOut)
	) {
		throw new Error('dates must be YYYY-MM-DD');
	}
	const checkIn = new Date(`${request.checkIn}T00:00:00Z`);
	const checkOut = new Date(`${request.checkOut}T00:00:00Z`);
	if (Number.isNaN(checkIn.getTime()) || Number.isNaN(checkOut.getTime())) {
		throw new Error('invalid date');
	}
	const nights = Math.round((checkOut.getTime() - checkIn.getTime()) / DAY_MS);
	if (nights < 1) throw new Error('checkOut must be after checkIn');
	if (nights > 28) throw new Error('stays are limited to 28 nights');
	if (!isAvailable(existing, request.roomId, request.checkIn, request.checkOut)) {
		throw new Error(`room ${request.roomId} is taken for those dates`);
	}
	return {
		id: nextId(),
		guest: request.guest.trim(),
		roomId: request.roomId,
		checkIn,
		checkOut,
		nights,
	};
}
