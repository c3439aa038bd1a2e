export interface Booking {
	id: string;
	guest: string;
	roomId: string;
	checkIn: Date;
	checkOut: Date;
	nights: number;
}

export interface StayRequest {
	guest: string;
	roomId: string;
	/** YYYY-MM-DD, the first night. */
	checkIn: string;
	/** YYYY-MM-DD, the departure day (not a night). */
	checkOut: string;
}
