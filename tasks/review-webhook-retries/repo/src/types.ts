export interface WebhookEvent {
    id: string;
    type: string;
    payload: unknown;
    /** ISO-8601 timestamp. */
    occurredAt: string;
}

export interface Subscription {
    id: string;
    url: string;
    /** Event types this endpoint wants; "*" means all of them. */
    events: string[];
    secret: string;
}

export interface HttpRequest {
    url: string;
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
}

/** POSTs a request; rejects on network errors and aborts, resolves with the status otherwise. */
export type HttpClient = (request: HttpRequest) => Promise<{ status: number }>;

export interface DeliveryResult {
    subscriptionId: string;
    ok: boolean;
    attempts: number;
    status?: number;
    error?: string;
}
