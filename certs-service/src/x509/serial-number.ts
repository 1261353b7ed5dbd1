// Certificate serial numbers: random, positive, fixed length (RFC 5280 §4.1.2.2 allows up to 20 octets; CA/B
// practice asks for at least 64 random bits — these have 126).
import { randomBytes } from 'node:crypto';

const SERIAL_LENGTH = 16;

/** 16 random bytes as hex, top bit cleared (positive INTEGER, no sign byte) and second bit set (never shorter). */
export function randomSerialNumber(): string {
  const bytes = randomBytes(SERIAL_LENGTH);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}
