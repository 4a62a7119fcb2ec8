import type { EntityManager } from 'typeorm';
import type { Locale, Platform } from './entities/device-link.entity.js';

/**
 * The port through which modules that keep per-device state (push registrations) follow the life
 * of device links without reading account-link's tables (ADR 0008). Account-link calls it inside
 * its bind/unlink transaction, with that transaction's manager, so a revoked link's dependent state
 * goes in the same commit (the one-device rule stops the old device's pushes at once).
 */
export const DEVICE_LINK_LIFECYCLE = Symbol('DEVICE_LINK_LIFECYCLE');

export interface BoundDeviceLink {
  deviceLinkId: string;
  personId: string;
  platform: Platform;
  locale: Locale;
  /** the push token sent with link completion, if any */
  pushToken: string | null;
}

export interface DeviceLinkLifecycle {
  onBound(manager: EntityManager, link: BoundDeviceLink): Promise<void>;
  onRevoked(manager: EntityManager, deviceLinkIds: string[]): Promise<void>;
}
