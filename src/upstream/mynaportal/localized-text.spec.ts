import { pickText } from './localized-text';

describe('pickText', () => {
  it('picks English when the backend has it, Japanese otherwise', () => {
    expect(pickText({ ja: '防災訓練', en: 'Disaster drill' }, 'en')).toBe('Disaster drill');
    expect(pickText({ ja: '防災訓練', en: 'Disaster drill' }, 'ja')).toBe('防災訓練');
    expect(pickText({ ja: '特定健康診査' }, 'en')).toBe('特定健康診査');
    expect(pickText({ ja: '特定健康診査', en: '' }, 'en')).toBe('特定健康診査');
  });
});
