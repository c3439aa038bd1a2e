export interface Contact {
  id: string;
  name: string;
  /** E.164, e.g. +447700900123. */
  phone: string;
  optedOut?: boolean;
}

export interface SmsJob {
  to: string;
  body: string;
  /** What support staff see in the outbox: the number masked. */
  preview: string;
}
