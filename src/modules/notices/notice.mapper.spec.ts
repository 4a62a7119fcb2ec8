import { toNotice, toNoticeSummary } from './notice.mapper';
import type { PortalNotice } from '../../upstream/mynaportal/mynaportal.schemas';

const upstream: PortalNotice = {
  noticeId: 'ntc-3f2a9c1b7e-000012',
  title: { ja: '防災訓練のお知らせ', en: 'Disaster drill notice' },
  senderName: { ja: '札幌市役所' },
  category: 'disaster',
  publishedAt: '2026-11-20T09:00:00+09:00',
  isRead: false,
  body: { ja: '地域の防災訓練を実施します。', en: 'A local disaster drill will take place.' },
  links: [{ label: { ja: '詳しくはこちら', en: 'Details' }, url: 'https://myna.example/notices/12' }],
};

describe('notice mapper', () => {
  it('maps the summary fields of the contract', () => {
    expect(toNoticeSummary(upstream, 'ja')).toEqual({
      id: 'ntc-3f2a9c1b7e-000012',
      title: '防災訓練のお知らせ',
      sender: '札幌市役所',
      category: 'disaster',
      publishedAt: '2026-11-20T09:00:00+09:00',
      read: false,
    });
  });

  it('maps the detail in English where the backend has English, Japanese where not', () => {
    expect(toNotice(upstream, 'en')).toEqual({
      id: 'ntc-3f2a9c1b7e-000012',
      title: 'Disaster drill notice',
      sender: '札幌市役所',
      category: 'disaster',
      publishedAt: '2026-11-20T09:00:00+09:00',
      read: false,
      body: 'A local disaster drill will take place.',
      links: [{ label: 'Details', url: 'https://myna.example/notices/12' }],
    });
  });
});
