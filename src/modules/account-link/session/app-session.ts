/** The authenticated caller of an app route, resolved from the bearer session token. */
export interface AppSession {
  /** Our id of the person (people.id), as returned by POST /v1/link/complete. */
  userId: string;
  /** The provider's subject of the person (what the Mynaportal backend knows them by). */
  subject: string;
  /** The device link (device_links.id) this session belongs to. */
  deviceLinkId: string;
  deviceId: string;
}
