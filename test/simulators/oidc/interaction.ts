import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { PERSONAS, personaDirectory, type PersonaDirectory } from '../personas.js';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The login step of the simulated Digital Authentication App. Instead of the real app's card
 * reading, `login_hint=<persona>` (or `?persona=` from the chooser page) signs that persona in and
 * consents to the requested scopes at once.
 */
export async function handleInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  personas: PersonaDirectory = personaDirectory(),
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const hint = url.searchParams.get('persona') ?? (details.params.login_hint as string | undefined);

  if (!hint) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(chooserPage(details.uid));
    return;
  }
  const persona = personas.byId(hint);
  if (!persona) {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: `unknown test persona "${hint}"` },
      { mergeWithLastSubmission: false },
    );
    return;
  }

  const clientId = details.params.client_id as string;
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant =
    existing?.accountId === persona.subject
      ? existing
      : new provider.Grant({ accountId: persona.subject, clientId });
  grant.addOIDCScope((details.params.scope as string | undefined) ?? 'openid');
  const grantId = await grant.save();

  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: persona.subject }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

function chooserPage(uid: string): string {
  const items = PERSONAS.map(
    (p) =>
      `<li><a href="/interaction/${escapeHtml(uid)}?persona=${escapeHtml(p.id)}">${escapeHtml(p.name)}</a> ` +
      `<code>${escapeHtml(p.id)}</code></li>`,
  ).join('');
  return `<!doctype html><html lang="ja"><meta charset="utf-8"><title>デジタル認証アプリ (simulator)</title>
<h1>デジタル認証アプリ (simulator)</h1><p>ログインする人を選んでください / choose a test persona</p><ul>${items}</ul></html>`;
}
