import { generate } from 'selfsigned';

export interface SimulatorCertificate {
  key: string;
  cert: string;
}

/** Host names the certificate is valid for: the FCM host firebase-admin calls, and loopback. */
export const FCM_SIM_HOSTNAMES = ['fcm.googleapis.com', 'localhost'];

/**
 * A fresh self-signed certificate, which the client trusts directly as its own CA (no openssl
 * binary needed). It is a CA so that OpenSSL accepts it as a trust anchor.
 */
export async function generateSimulatorCertificate(): Promise<SimulatorCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3600_000);
  const pems = await generate([{ name: 'commonName', value: 'fcm.googleapis.com' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...FCM_SIM_HOSTNAMES.map((value) => ({ type: 2 as const, value })),
          { type: 7 as const, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
