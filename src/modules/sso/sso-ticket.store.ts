import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../../redis/redis.constants.js';
import { hashOpaqueToken, newOpaqueToken, OPAQUE_TOKEN_SHAPE } from '../../common/crypto/opaque-token.js';

export const TICKET_TTL_SECONDS = 60;
export const TICKET_SHAPE = OPAQUE_TOKEN_SHAPE;

/** What a ticket grants: an SSO into Mynaportal web for this person, to this path. */
export interface SsoGrant {
  userId: string;
  /** The device link whose session asked for the ticket: it must still be live at redeem. */
  deviceLinkId: string;
  returnTo: string;
}

/**
 * One-time SSO tickets in Redis: 256 random bits, stored only under their SHA-256 (a Redis dump
 * does not yield usable tickets), for 60 s, taken with GETDEL so exactly one redirect can use one.
 */
@Injectable()
export class SsoTicketStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async issue(grant: SsoGrant): Promise<string> {
    const ticket = newOpaqueToken();
    await this.redis.set(ticketKey(ticket), JSON.stringify(grant), 'EX', TICKET_TTL_SECONDS);
    return ticket;
  }

  /** The grant of a ticket, used up; null when unknown, expired or already used. */
  async take(ticket: string): Promise<SsoGrant | null> {
    const raw = await this.redis.getdel(ticketKey(ticket));
    if (!raw) return null;
    const grant = JSON.parse(raw) as SsoGrant;
    return typeof grant.userId === 'string' &&
      typeof grant.deviceLinkId === 'string' &&
      typeof grant.returnTo === 'string'
      ? grant
      : null;
  }
}

/** The Redis key of a ticket (without the client's key prefix). */
export function ticketKey(ticket: string): string {
  return `sso:ticket:${hashOpaqueToken(ticket).toString('hex')}`;
}
