/**
 * Why a proof was refused, for `dpop_rejections_total{reason}` (never shown to the client, which
 * learns only DPOP_PROOF_INVALID): missing, malformed, header (typ/alg), key, signature, jti, htm,
 * htu, ath, iat, use_nonce (iat out of range without a valid nonce), replay, bearer (a session
 * token sent as Bearer), key_mismatch (a proof by another key than the session's).
 */
export type DpopRejectionReason =
  | 'missing'
  | 'malformed'
  | 'header'
  | 'key'
  | 'signature'
  | 'jti'
  | 'htm'
  | 'htu'
  | 'ath'
  | 'iat'
  | 'use_nonce'
  | 'replay'
  | 'bearer'
  | 'key_mismatch';

/** The cause of a DPOP_PROOF_INVALID exception: counted by ProblemDetailsFilter. */
export class DpopRejected extends Error {
  constructor(readonly reason: DpopRejectionReason) {
    super(`DPoP proof refused: ${reason}`);
    this.name = 'DpopRejected';
  }
}
