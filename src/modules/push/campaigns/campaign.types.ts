export type CampaignStatus = 'scheduled' | 'queued' | 'sending' | 'completed' | 'failed' | 'cancelled';

export interface LocalizedText {
  ja: string;
  en?: string;
}

export interface CampaignMessage {
  title: LocalizedText;
  body: LocalizedText;
}

/** The Campaign of API.md (operators). */
export interface CampaignView {
  id: string;
  notificationId: string;
  noticeId: string | null;
  todoId: string | null;
  category: string | null;
  status: CampaignStatus;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  targeted: number;
  sent: number;
  failed: number;
  invalidTokens: number;
  cancelledTokens: number;
  received: number;
  opened: number;
  openRate: number;
}

export interface CampaignRow {
  id: string;
  notification_id: string;
  notice_id: string | null;
  todo_id: string | null;
  category: string | null;
  ttl_seconds: number;
  message: CampaignMessage;
  audience_type: 'users' | 'all';
  audience_person_ids: string[] | null;
  /** a `users` audience as the webhook gave it, until the fan-out resolves it to person ids */
  audience_subjects: string[] | null;
  status: CampaignStatus;
  send_at: Date | null;
  cancel_requested: boolean;
  fanout_cursor: string | null;
  fanout_done: boolean;
  batches_total: number;
  batches_recorded: number;
  targeted: string;
  sent: string;
  failed: string;
  invalid_tokens: string;
  cancelled_tokens: string;
  received: string;
  opened: string;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
}

export const ENDED: CampaignStatus[] = ['completed', 'failed', 'cancelled'];

export function toCampaignView(r: CampaignRow): CampaignView {
  const sent = Number(r.sent);
  const opened = Number(r.opened);
  return {
    id: r.id,
    notificationId: r.notification_id,
    noticeId: r.notice_id,
    todoId: r.todo_id,
    category: r.category,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    completedAt: r.completed_at?.toISOString() ?? null,
    targeted: Number(r.targeted),
    sent,
    failed: Number(r.failed),
    invalidTokens: Number(r.invalid_tokens),
    cancelledTokens: Number(r.cancelled_tokens),
    received: Number(r.received),
    opened,
    openRate: sent === 0 ? 0 : opened / sent,
  };
}
