import type { Subscription } from "./types";

export class SubscriptionRegistry {
    private readonly byId = new Map<string, Subscription>();

    /** Adds or replaces a subscription. Throws when the URL is not https. */
    add(subscription: Subscription): void {
        if (!subscription.url.startsWith("https://")) {
            throw new Error(`subscription ${subscription.id}: url must use https, got "${subscription.url}"`);
        }
        this.byId.set(subscription.id, subscription);
    }

    remove(id: string): boolean {
        return this.byId.delete(id);
    }

    /** Subscriptions that want events of `type`, in insertion order. */
    matching(type: string): Subscription[] {
        return [...this.byId.values()].filter((s) => s.events.includes("*") || s.events.includes(type));
    }
}
