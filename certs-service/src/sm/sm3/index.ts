// SM3 hashing and HMAC-SM3 (GB/T 32905).
export * from './sm3';
