import type { Language } from '../../common/i18n/language.js';
import type { LocalizedText } from './mynaportal.schemas.js';

/** The text in the caller's language where the backend has it, else the Japanese original. */
export function pickText(text: LocalizedText, language: Language): string {
  return language === 'en' && text.en ? text.en : text.ja;
}
