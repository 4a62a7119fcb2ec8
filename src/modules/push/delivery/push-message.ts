import type { Message } from 'firebase-admin/messaging';
import type { CampaignRow } from '../campaigns/campaign.types.js';
import type { PushLocale } from '../registrations/push-registration.repository.js';

/**
 * One FCM message for a device: title/body in its locale (ja when the campaign has no text in it),
 * data {notificationId, noticeId, todoId}, a visible alert, TTL (android.ttl, apns-expiration) and
 * one collapse key per notification.
 */
export function buildMessage(c: CampaignRow, token: string, locale: PushLocale, nowMs = Date.now()): Message {
  const title = (locale === 'en' && c.message.title.en) || c.message.title.ja;
  const body = (locale === 'en' && c.message.body.en) || c.message.body.ja;
  const collapse = `n-${c.notification_id}`.slice(0, 64);
  return {
    token,
    notification: { title, body },
    data: { notificationId: c.notification_id, noticeId: c.notice_id ?? '', todoId: c.todo_id ?? '' },
    android: {
      priority: 'high',
      ttl: c.ttl_seconds * 1000,
      collapseKey: collapse,
      notification: { sound: 'default' },
    },
    apns: {
      headers: {
        'apns-expiration': String(Math.floor(nowMs / 1000) + c.ttl_seconds),
        'apns-collapse-id': collapse,
        'apns-push-type': 'alert',
        'apns-priority': '10',
      },
      payload: { aps: { sound: 'default' } },
    },
  };
}
