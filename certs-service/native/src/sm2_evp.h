/*
 * SM2 signatures (GB/T 32918.2, SM3 digest, GM/T 0009 distinguishing ID) through the OpenSSL 3 EVP API
 * of the node binary. A key is parsed into an EVP_PKEY once per handle, and the handle keeps its
 * EVP_PKEY_CTX and EVP_MD_CTX for reuse, so a call costs the curve arithmetic and two SM3 runs.
 */
#ifndef CERTHUB_SM2_EVP_H
#define CERTHUB_SM2_EVP_H

#include <stddef.h>
#include <stdint.h>

#define SM2_SCALAR_BYTES 32
#define SM2_POINT_BYTES 65
#define SM2_RAW_SIGNATURE_BYTES 64
/* ENTL in Z is the ID's length in bits as two bytes, so an ID holds at most 8191 bytes. */
#define SM2_MAX_ID_BYTES 8191

typedef struct sm2_evp_key sm2_evp_key;

/* Each returns NULL and leaves a message in err (size errlen) on failure. */
sm2_evp_key *sm2_evp_signer_new(const uint8_t d[SM2_SCALAR_BYTES], const uint8_t point[SM2_POINT_BYTES], char *err,
                                size_t errlen);
/* eager = 0 defers the EVP_PKEY to the first sm2_evp_verify: a verifier on the fast route only hashes here. */
sm2_evp_key *sm2_evp_verifier_new(const uint8_t point[SM2_POINT_BYTES], int eager, char *err, size_t errlen);
void sm2_evp_key_free(sm2_evp_key *key);

/* Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA), cached per key for the last ID seen. */
int sm2_evp_z(sm2_evp_key *key, const uint8_t *id, size_t id_len, uint8_t z[32]);
/* e = SM3(Z || M). */
int sm2_evp_e(sm2_evp_key *key, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len, uint8_t e[32]);

/* 1 on success with sig = r || s. */
int sm2_evp_sign(sm2_evp_key *key, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len,
                 uint8_t sig[SM2_RAW_SIGNATURE_BYTES], char *err, size_t errlen);
/* 1 valid, 0 invalid, -1 error (message in err). */
int sm2_evp_verify(sm2_evp_key *key, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len,
                   const uint8_t sig[SM2_RAW_SIGNATURE_BYTES], char *err, size_t errlen);

#endif
