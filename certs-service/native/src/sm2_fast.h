/*
 * SM2 sign/verify arithmetic of our own, for the two hot operations, on the recommended curve only:
 *   - k·G by a fixed-base comb (64 tables of 15 affine multiples, one per 4-bit digit of k, so 64 mixed
 *     additions and no doublings), with constant-time table scans and masked handling of the point at
 *     infinity, because k is secret;
 *   - t·P in verification by width-5 wNAF over a per-key table of odd multiples (public data, variable time),
 *     and, once a key has been used a few times, by the same comb over a table built for that key.
 * Field and scalar arithmetic are 4×64-bit Montgomery multiplications with constant-time reduction.
 * OpenSSL 3.0's SM2 uses its generic prime-field code (a Montgomery ladder for k·G); this is several times
 * faster and is checked against OpenSSL's EVP route, the OpenSSL CLI and @noble/curves in the tests.
 */
#ifndef CERTHUB_SM2_FAST_H
#define CERTHUB_SM2_FAST_H

#include <stdint.h>

typedef struct {
  uint64_t v[4]; /* little-endian limbs */
} sm2_fe;

typedef struct {
  sm2_fe x, y; /* Montgomery form mod p */
} sm2_affine;

typedef struct {
  sm2_affine odd[8];       /* P, 3P, ..., 15P: the wNAF table, built with the handle */
  sm2_affine (*comb)[16];  /* P's own comb (64 KiB), built once the key has been used a few times */
  unsigned uses;
} sm2_fast_verifier;

/* Verifications of one key before it gets its own comb table: issuers' keys are few and verified often. */
#define SM2_FAST_COMB_AFTER_USES 4

typedef struct {
  sm2_fe d;    /* the private scalar, plain form */
  sm2_fe dinv; /* (1 + d)^-1 mod n, plain form, fixed per key */
} sm2_fast_signer;

/* Builds the shared generator tables once per process (thread-safe). 1 on success. */
int sm2_fast_init(void);

/* 1 if point (04||x||y) is a valid SM2 point; fills the verifier's table. */
int sm2_fast_verifier_init(sm2_fast_verifier *verifier, const uint8_t point[65]);
/* 1 if d is in [1, n-2]; the caller has already checked that point = d·G. */
int sm2_fast_signer_init(sm2_fast_signer *signer, const uint8_t d[32]);
void sm2_fast_signer_clear(sm2_fast_signer *signer);
void sm2_fast_verifier_clear(sm2_fast_verifier *verifier);

/* e = SM3(Z || M). Writes r || s; 1 on success, 0 if the random generator failed. */
int sm2_fast_sign_digest(const sm2_fast_signer *signer, const uint8_t e[32], uint8_t sig[64]);
/* 1 valid, 0 invalid (including r or s outside [1, n-1]). */
int sm2_fast_verify_digest(sm2_fast_verifier *verifier, const uint8_t e[32], const uint8_t sig[64]);

/* k·G with the comb, for tests of the arithmetic: k 32 bytes big-endian, out 04||x||y. 0 if k ≡ 0. */
int sm2_fast_base_mul(const uint8_t k[32], uint8_t out[65]);

#endif
