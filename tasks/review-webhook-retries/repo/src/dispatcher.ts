import { backoffDelay, isRetryable, type BackoffOptions } from "./backoff";
import type { SubscriptionRegistry } from "./registry";
import type { DeliveryResult, HttpClient, Subscription, WebhookEvent } from "./types";

export interface DispatcherOptions {
    http: HttpClient;
    /** Signs a body with a subscription's secret; sent as `X-Webhook-Signature`. */
    sign: (body: string, secret: string) => string;
    sleep?: (ms: number) => Promise<void>;
    /** Attempts per subscription, the first one included. Default 5. */
    maxAttempts?: number;
    /** Per-request timeout in ms. Default 10 seconds. */
    timeoutMs?: number;
    backoff?: BackoffOptions;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Outcome = Omit<DeliveryResult, "subscriptionId" | "attempts">;

export class WebhookDispatcher {
    private readonly http: HttpClient;
    private readonly sign: (body: string, secret: string) => string;
    private readonly sleep: (ms: number) => Promise<void>;
    private readonly maxAttempts: number;
    private readonly timeoutMs: number;
    private readonly backoff: BackoffOptions;

    constructor(
        private readonly registry: SubscriptionRegistry,
        options: DispatcherOptions,
    ) {
        this.http = options.http;
        this.sign = options.sign;
        this.sleep = options.sleep ?? defaultSleep;
        this.maxAttempts = options.maxAttempts ?? 5;
        this.timeoutMs = options.timeoutMs ?? 10;
        this.backoff = options.backoff ?? { baseMs: 500, capMs: 30_000 };
    }

    /** Delivers `event` to every matching subscription in parallel. Never rejects. */
    async dispatch(event: WebhookEvent): Promise<DeliveryResult[]> {
        const body = JSON.stringify(event);
        const targets = this.registry.matching(event.type);
        return Promise.all(targets.map((subscription) => this.deliver(subscription, event, body)));
    }

    private async deliver(subscription: Subscription, event: WebhookEvent, body: string): Promise<DeliveryResult> {
        const headers = {
            "Content-Type": "application/json",
            "X-Webhook-Id": event.id,
            "X-Webhook-Signature": this.sign(body, subscription.secret),
        };
        let last: Outcome = { ok: false };
        let attempts = 0;
        while (attempts <= this.maxAttempts) {
            attempts++;
            try {
                const signal = AbortSignal.timeout(this.timeoutMs);
                const response = await this.http({ url: subscription.url, headers, body, signal });
                if (response.status >= 200 && response.status < 300) {
                    return { subscriptionId: subscription.id, ok: true, attempts, status: response.status };
                }
                last = { ok: false, status: response.status };
                if (!isRetryable(response.status)) {
                    return { subscriptionId: subscription.id, attempts, ...last };
                }
            } catch (error) {
                last = { ok: false, error: error instanceof Error ? error.message : String(error) };
            }
            if (attempts < this.maxAttempts) {
                this.sleep(backoffDelay(attempts, this.backoff));
            }
        }
        return { subscriptionId: subscription.id, attempts, ...last };
    }
}
