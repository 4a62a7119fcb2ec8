import { hash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as oidc from 'openid-client';
import type { AppConfig } from '../../config/app-config.js';
import { DomainException } from '../../common/errors/domain.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { Metrics } from '../../metrics/metrics.js';
import { BreakerRegistry } from '../breaker-registry.js';
import { ResilientExecutor } from '../resilience/resilient-executor.js';
import { resilienceOptions } from '../resilience/resilience.config.js';
import { UpstreamResponseError } from '../resilience/upstream.errors.js';
import { privateKeyJwt } from './private-key-jwt.js';

export interface AuthorizationRequest {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface ProviderTokens {
  accessToken: string;
  refreshToken: string | null;
  accessExpiresAt: Date;
  refreshExpiresAt: Date;
  scope: string;
}

export interface CodeExchangeResult extends ProviderTokens {
  subject: string;
}

export interface RefreshedTokens extends ProviderTokens {
  /** The `sub` of the ID token the refresh brought, if it brought one (openid-client validated it). */
  subject?: string;
}

/** The refresh token is expired, revoked or reused: the link is dead (→ LINK_EXPIRED). */
export class RefreshRejectedError extends Error {
  constructor(readonly oauthError: string) {
    super(`refresh rejected: ${oauthError}`);
  }
}

const UPSTREAM = 'digital-auth';

/**
 * RFC 7636 S256 challenge, BASE64URL(SHA256(ASCII(verifier))): what openid-client's
 * calculatePKCECodeChallenge returns, without its WebCrypto round trip through the thread pool.
 */
export function pkceChallenge(codeVerifier: string): string {
  return hash('sha256', codeVerifier, 'base64url');
}

/**
 * The one client of the Digital Authentication App (OpenID provider). openid-client does the
 * protocol (discovery, PKCE, private_key_jwt, ID token validation); this class owns the breaker,
 * the deadline, metrics and the mapping of failures to API.md codes.
 */
@Injectable()
export class OidcClient {
  private readonly settings: AppConfig['oidc'];
  private readonly executor: ResilientExecutor;
  private configuration?: Promise<oidc.Configuration>;

  constructor(config: ConfigService<AppConfig, true>, registry: BreakerRegistry, metrics: Metrics) {
    this.settings = config.get('oidc', { infer: true });
    this.executor = new ResilientExecutor(
      resilienceOptions(UPSTREAM, this.settings.timeoutMs, config.get('upstreams', { infer: true }).breaker),
      registry,
      metrics,
    );
  }

  /** A fresh state, nonce and PKCE verifier for one authorization request. */
  newAuthorizationRequest(): AuthorizationRequest {
    return {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    };
  }

  async authorizationUrl(request: AuthorizationRequest): Promise<string> {
    const config = await this.config();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      state: request.state,
      nonce: request.nonce,
      code_challenge: pkceChallenge(request.codeVerifier),
      code_challenge_method: 'S256',
    });
    return url.href;
  }

  /** Exchanges an authorization code (private_key_jwt + PKCE) and validates the ID token. */
  async exchangeCode(code: string, request: AuthorizationRequest): Promise<CodeExchangeResult> {
    const config = await this.config();
    // The app hands us code and state from the redirect; rebuild that redirect for openid-client.
    // It also carries `iss` (RFC 9207) when the provider advertises it: we talk to exactly one
    // issuer, so mix-up attacks do not apply and the configured issuer is the right value.
    const callback = new URL(this.settings.redirectUri);
    callback.searchParams.set('code', code);
    callback.searchParams.set('state', request.state);
    if (config.serverMetadata().authorization_response_iss_parameter_supported) {
      callback.searchParams.set('iss', config.serverMetadata().issuer);
    }
    const response = await this.executor.execute('token.authorization_code', async () => {
      try {
        return await oidc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: request.codeVerifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw this.mapExchangeError(error);
      }
    });
    const claims = response.claims();
    if (!claims?.sub) throw new DomainException(ErrorCode.UPSTREAM_AUTH_FAILED);
    return { subject: claims.sub, ...this.toTokens(response, null) };
  }

  /** Uses the refresh token. Rotation-aware: a response without a new refresh token keeps the old one. */
  async refresh(refreshToken: string): Promise<RefreshedTokens> {
    const config = await this.config();
    const response = await this.executor
      .execute('token.refresh_token', async () => {
        try {
          return await oidc.refreshTokenGrant(config, refreshToken);
        } catch (error) {
          if (error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant') {
            // Expired, revoked or reused: the link is dead.
            throw new RefreshRejected(error.error);
          }
          if (error instanceof oidc.ResponseBodyError && error.status < 500) {
            // invalid_client, unauthorized_client…: our registration or key is wrong, not the
            // person's link, so their tokens are kept; operators must fix the client (alarm on 502s).
            throw new UpstreamResponseError(UPSTREAM, `refresh refused: ${error.error}`);
          }
          throw error;
        }
      })
      .catch((error: unknown) => {
        if (error instanceof RefreshRejected) throw new RefreshRejectedError(error.oauthError);
        throw error;
      });
    const subject = response.claims()?.sub;
    return { ...this.toTokens(response, refreshToken), ...(subject !== undefined ? { subject } : {}) };
  }

  /** Revokes a refresh token (RFC 7009). Returns false when the provider advertises no endpoint. */
  async revoke(refreshToken: string): Promise<boolean> {
    const config = await this.config();
    if (!config.serverMetadata().revocation_endpoint) return false;
    await this.executor.execute('revoke', () =>
      oidc.tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' }),
    );
    return true;
  }

  private toTokens(
    response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
    previousRefreshToken: string | null,
  ): ProviderTokens {
    const now = Date.now();
    const expiresIn = response.expiresIn() ?? 300;
    const refreshExpiresIn =
      typeof response.refresh_expires_in === 'number' && response.refresh_expires_in > 0
        ? response.refresh_expires_in
        : this.settings.defaultRefreshTtlSeconds;
    return {
      accessToken: response.access_token,
      refreshToken: response.refresh_token ?? previousRefreshToken,
      accessExpiresAt: new Date(now + expiresIn * 1000),
      refreshExpiresAt: new Date(now + refreshExpiresIn * 1000),
      scope: response.scope ?? this.settings.scopes,
    };
  }

  private mapExchangeError(error: unknown): unknown {
    // The provider refused the code or our client (invalid_grant, invalid_client…), or the ID token
    // failed validation (nonce, audience, signature): the exchange failed, not the provider.
    if (error instanceof oidc.ResponseBodyError && error.status < 500) {
      return new DomainException(ErrorCode.UPSTREAM_AUTH_FAILED, { cause: new Error(error.error) });
    }
    if (error instanceof oidc.ClientError || error instanceof oidc.AuthorizationResponseError) {
      return new DomainException(ErrorCode.UPSTREAM_AUTH_FAILED, { cause: error });
    }
    if (error instanceof oidc.ResponseBodyError) {
      return new UpstreamResponseError(UPSTREAM, `token endpoint ${error.status}`);
    }
    return error;
  }

  private config(): Promise<oidc.Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      this.configuration = undefined; // try again on the next call
      throw error;
    });
    return this.configuration;
  }

  private async discover(): Promise<oidc.Configuration> {
    const clientAuth = privateKeyJwt(this.settings.clientPrivateJwk);
    const options = this.settings.allowInsecureHttp ? { execute: [oidc.allowInsecureRequests] } : undefined;
    const discovered = await this.executor.execute('discovery', () =>
      oidc.discovery(new URL(this.settings.issuer), this.settings.clientId, undefined, clientAuth, {
        ...options,
        timeout: Math.ceil(this.settings.timeoutMs / 1000),
      }),
    );
    // Accept what the provider signs ID tokens with (ES256 expected), not openid-client's RS256 default.
    const algs = discovered.serverMetadata().id_token_signing_alg_values_supported ?? ['RS256'];
    const alg = algs.includes('ES256') ? 'ES256' : algs[0];
    const config = new oidc.Configuration(
      discovered.serverMetadata(),
      this.settings.clientId,
      { id_token_signed_response_alg: alg },
      clientAuth,
    );
    if (this.settings.allowInsecureHttp) oidc.allowInsecureRequests(config);
    config.timeout = Math.ceil(this.settings.timeoutMs / 1000);
    return config;
  }
}

/** Internal: a rejected refresh passes the breaker as an answer, not a failure. */
class RefreshRejected extends DomainException {
  constructor(readonly oauthError: string) {
    super(ErrorCode.LINK_EXPIRED);
  }
}
