import Negotiator from 'negotiator';

export type Language = 'ja' | 'en';
const supported: Language[] = ['ja', 'en'];

/** Picks ja or en from an Accept-Language header; Japanese is the default. */
export function negotiateLanguage(acceptLanguage: string | string[] | undefined): Language {
  if (!acceptLanguage) return 'ja';
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  const chosen = new Negotiator({ headers: { 'accept-language': header } }).language(supported);
  return chosen === 'en' ? 'en' : 'ja';
}
