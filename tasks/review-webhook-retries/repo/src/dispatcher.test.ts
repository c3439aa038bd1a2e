import { describe, expect, it } from "vitest";
import { WebhookDispatcher } from "./dispatcher";
import { SubscriptionRegistry } from "./registry";
import type { HttpRequest, WebhookEvent } from "./types";

const event: WebhookEvent = { id: "evt_1", type: "invoice.paid", payload: { amount: 1200 }, occurredAt: "2026-01-05T10:00:00Z" };

function setup(responses: Array<number | Error>) {
    const registry = new SubscriptionRegistry();
    registry.add({ id: "sub_1", url: "https://hooks.example.com/a", events: ["invoice.paid"], secret: "k1" });
    const requests: HttpRequest[] = [];
    const delays: number[] = [];
    const dispatcher = new WebhookDispatcher(registry, {
        http: async (request) => {
            requests.push(request);
            const next = responses.shift() ?? 200;
            if (next instanceof Error) throw next;
            return { status: next };
        },
        sign: (body, secret) => `${secret}:${body.length}`,
        sleep: async (ms) => {
            delays.push(ms);
        },
    });
    return { dispatcher, requests, delays };
}

describe("WebhookDispatcher", () => {
    it("delivers a signed event once on success", async () => {
        const { dispatcher, requests } = setup([204]);
        const [result] = await dispatcher.dispatch(event);
        expect(result).toEqual({ subscriptionId: "sub_1", ok: true, attempts: 1, status: 204 });
        expect(requests[0]?.headers["X-Webhook-Signature"]).toBe(`k1:${JSON.stringify(event).length}`);
    });

    it("retries a 503 with backoff, then succeeds", async () => {
        const { dispatcher, delays } = setup([503, 200]);
        const [result] = await dispatcher.dispatch(event);
        expect(result?.attempts).toBe(2);
        expect(delays).toEqual([500]);
    });

    it("retries after a network error", async () => {
        const { dispatcher } = setup([new Error("ECONNRESET"), 200]);
        const [result] = await dispatcher.dispatch(event);
        expect(result).toMatchObject({ ok: true, attempts: 2 });
    });

    it("gives up at once on a 410", async () => {
        const { dispatcher, requests } = setup([410]);
        const [result] = await dispatcher.dispatch(event);
        expect(result).toEqual({ subscriptionId: "sub_1", ok: false, attempts: 1, status: 410 });
        expect(requests).toHaveLength(1);
    });

    it("skips subscriptions for other event types", async () => {
        const { dispatcher, requests } = setup([]);
        expect(await dispatcher.dispatch({ ...event, type: "invoice.voided" })).toEqual([]);
        expect(requests).toHaveLength(0);
    });
});
