import { renderSsoPage } from './sso-page';

describe('renderSsoPage', () => {
  it.each([
    ['SSO_TICKET_INVALID', 400, 'SSO_TICKET_INVALID'],
    ['VALIDATION_FAILED', 400, 'SSO_TICKET_INVALID'],
    ['LINK_EXPIRED', 401, 'LINK_EXPIRED'],
    ['RATE_LIMITED', 429, 'RATE_LIMITED'],
    ['UPSTREAM_UNAVAILABLE', 503, 'UPSTREAM_UNAVAILABLE'],
    ['UPSTREAM_ERROR', 502, 'UPSTREAM_ERROR'],
    ['INTERNAL', 500, 'INTERNAL'],
  ] as const)('%s → %i page', (code, status, shown) => {
    const page = renderSsoPage(code, 'ja', 'req-1');
    expect(page.status).toBe(status);
    expect(page.code).toBe(shown);
    expect(page.html).toContain(`data-code="${shown}"`);
    expect(page.html).toMatch(/^<!doctype html><html lang="ja">/);
  });

  it('speaks English when asked and escapes the request id', () => {
    const page = renderSsoPage('SSO_TICKET_INVALID', 'en', '<script>x</script>');
    expect(page.html).toContain('<html lang="en">');
    expect(page.html).toContain('Go back to the Myna App');
    expect(page.html).not.toContain('<script>');
    expect(page.html).toContain('&#60;script&#62;');
  });
});
