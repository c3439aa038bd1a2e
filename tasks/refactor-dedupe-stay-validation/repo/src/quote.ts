export interface QuoteInput {
	checkIn: string;
	checkOut: string;
	/** Nightly rate in cents. */
	rate: number;
	/** Extra fraction charged for Friday and Saturday nights, e.g. 0.2. */
	weekendSurcharge?: number;
}

export interface Quote {
	nights: number;
	weekendNights: number;
	/** Total in cents, rounded to the cent. */
	total: number;
}

function parseDay(value: string): Date {
	const d = new Date(`${value}T00:00:00Z`);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime())) {
		throw new Error(`bad date ${value}`);
	}
	if (d.toISOString().slice(0, 10) !== value) throw new Error(`no such day ${value}`);
	return d;
}

export function quoteStay(input: QuoteInput): Quote {
	const checkIn = parseDay(input.checkIn);
	const checkOut = parseDay(input.checkOut);
	const nights = Math.round((checkOut.getTime() - checkIn.getTime()) / 86_400_000);
	if (nights <= 0) throw new Error('empty stay');
	if (nights > 30) throw new Error('too long');

	let weekendNights = 0;
	for (let i = 0; i < nights; i++) {
		const day = new Date(checkIn.getTime() + i * 86_400_000).getUTCDay();
		if (day === 5 || day === 6) weekendNights++;
	}
	const surcharge = input.weekendSurcharge ?? 0;
	const total = Math.round(input.rate * nights + input.rate * surcharge * weekendNights);
	return { nights, weekendNights, total };
}
