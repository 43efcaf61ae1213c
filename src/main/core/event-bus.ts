import type { EventName, EventPayload } from '@shared/api/events';

type Listener = (name: EventName, payload: unknown) => void;

/** Push events from services to every connected window. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    for (const listener of this.listeners) listener(name, payload);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
