#include "sm2_evp.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The recommended curve's a, b, xG, yG (GB/T 32918.5), as they enter Z. */
static const uint8_t SM2_CURVE_FOR_Z[128] = {
    0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, /* a */
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFC,
    0x28, 0xE9, 0xFA, 0x9E, 0x9D, 0x9F, 0x5E, 0x34, 0x4D, 0x5A, 0x9E, 0x4B, 0xCF, 0x65, 0x09, 0xA7, /* b */
    0xF3, 0x97, 0x89, 0xF5, 0x15, 0xAB, 0x8F, 0x92, 0xDD, 0xBC, 0xBD, 0x41, 0x4D, 0x94, 0x0E, 0x93,
    0x32, 0xC4, 0xAE, 0x2C, 0x1F, 0x19, 0x81, 0x19, 0x5F, 0x99, 0x04, 0x46, 0x6A, 0x39, 0xC9, 0x94, /* xG */
    0x8F, 0xE3, 0x0B, 0xBF, 0xF2, 0x66, 0x0B, 0xE1, 0x71, 0x5A, 0x45, 0x89, 0x33, 0x4C, 0x74, 0xC7,
    0xBC, 0x37, 0x36, 0xA2, 0xF4, 0xF6, 0x77, 0x9C, 0x59, 0xBD, 0xCE, 0xE3, 0x6B, 0x69, 0x21, 0x53, /* yG */
    0xD0, 0xA9, 0x87, 0x7C, 0xC6, 0x2A, 0x47, 0x40, 0x02, 0xDF, 0x32, 0xE5, 0x21, 0x39, 0xF0, 0xA0,
};

struct sm2_evp_key {
  EVP_PKEY *pkey;
  EVP_PKEY_CTX *pkey_ctx; /* initialised once for sign or for verify */
  EVP_MD_CTX *md_ctx;
  EVP_MD *sm3;
  uint8_t point[SM2_POINT_BYTES];
  /* Almost every call uses the same ID (GM/T 0009's default), so Z is computed once per key and ID. */
  uint8_t *z_id;
  size_t z_id_len;
  int z_valid;
  uint8_t z[32];
};

static void set_err(char *err, size_t errlen, const char *what) {
  unsigned long code = ERR_peek_last_error();
  if (code != 0) {
    char reason[160];
    ERR_error_string_n(code, reason, sizeof reason);
    snprintf(err, errlen, "%s (%s)", what, reason);
  } else {
    snprintf(err, errlen, "%s", what);
  }
  /* Never leave entries behind: node's own crypto reads the same thread-local error queue. */
  ERR_clear_error();
}

void sm2_evp_key_free(sm2_evp_key *key) {
  if (key == NULL) return;
  EVP_PKEY_CTX_free(key->pkey_ctx);
  EVP_PKEY_free(key->pkey);
  EVP_MD_CTX_free(key->md_ctx);
  EVP_MD_free(key->sm3);
  free(key->z_id);
  OPENSSL_cleanse(key, sizeof *key);
  free(key);
}

/*
 * Builds the EVP_PKEY (and the sign or verify context) from d and the point. A signer's point enters Z, so it
 * must be d·G or every signature would fail to verify: check the pair and d's range [1, n-2] here. A verifier
 * only needs the point on the curve (the cofactor is 1, so the quick check suffices and skips a full scalar
 * multiplication).
 */
static int build_pkey(sm2_evp_key *key, const uint8_t *d, char *err, size_t errlen) {
  OSSL_PARAM_BLD *bld = NULL;
  OSSL_PARAM *params = NULL;
  EVP_PKEY_CTX *from_ctx = NULL;
  EVP_PKEY_CTX *check_ctx = NULL;
  BIGNUM *priv = NULL;
  int ok = 0;

  if (key->point[0] != 0x04) {
    snprintf(err, errlen, "the public point must be uncompressed (04 || x || y)");
    goto done;
  }
  bld = OSSL_PARAM_BLD_new();
  if (bld == NULL || !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, key->point, SM2_POINT_BYTES)) {
    set_err(err, errlen, "cannot build the key parameters");
    goto done;
  }
  if (d != NULL) {
    priv = BN_secure_new();
    if (priv == NULL || BN_bin2bn(d, SM2_SCALAR_BYTES, priv) == NULL ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv)) {
      set_err(err, errlen, "cannot build the private key parameter");
      goto done;
    }
  }
  params = OSSL_PARAM_BLD_to_param(bld);
  from_ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
  if (params == NULL || from_ctx == NULL || EVP_PKEY_fromdata_init(from_ctx) <= 0 ||
      EVP_PKEY_fromdata(from_ctx, &key->pkey, d != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) <= 0) {
    set_err(err, errlen, "the public point is not on the SM2 curve or the key is malformed");
    goto done;
  }
  check_ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
  if (check_ctx == NULL) {
    set_err(err, errlen, "cannot check the key");
    goto done;
  }
  if (d != NULL ? EVP_PKEY_check(check_ctx) != 1 : EVP_PKEY_public_check_quick(check_ctx) != 1) {
    set_err(err, errlen,
            d != NULL ? "the private scalar is out of range or does not match the public point"
                      : "the public point is not a valid SM2 point");
    goto done;
  }
  key->pkey_ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
  if (key->pkey_ctx == NULL ||
      (d != NULL ? EVP_PKEY_sign_init(key->pkey_ctx) : EVP_PKEY_verify_init(key->pkey_ctx)) <= 0) {
    set_err(err, errlen, "cannot prepare the SM2 context");
    goto done;
  }
  ok = 1;

done:
  BN_clear_free(priv);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  EVP_PKEY_CTX_free(from_ctx);
  EVP_PKEY_CTX_free(check_ctx);
  if (!ok) {
    ERR_clear_error();
    EVP_PKEY_CTX_free(key->pkey_ctx);
    EVP_PKEY_free(key->pkey);
    key->pkey_ctx = NULL;
    key->pkey = NULL;
  }
  return ok;
}

static sm2_evp_key *key_new(const uint8_t point[SM2_POINT_BYTES], char *err, size_t errlen) {
  sm2_evp_key *key = calloc(1, sizeof *key);
  if (key == NULL) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  memcpy(key->point, point, SM2_POINT_BYTES);
  key->md_ctx = EVP_MD_CTX_new();
  key->sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
  if (key->md_ctx == NULL || key->sm3 == NULL) {
    set_err(err, errlen, "cannot prepare SM3");
    sm2_evp_key_free(key);
    return NULL;
  }
  return key;
}

sm2_evp_key *sm2_evp_signer_new(const uint8_t d[SM2_SCALAR_BYTES], const uint8_t point[SM2_POINT_BYTES], char *err,
                                size_t errlen) {
  sm2_evp_key *key = key_new(point, err, errlen);
  if (key != NULL && !build_pkey(key, d, err, errlen)) {
    sm2_evp_key_free(key);
    return NULL;
  }
  return key;
}

sm2_evp_key *sm2_evp_verifier_new(const uint8_t point[SM2_POINT_BYTES], int eager, char *err, size_t errlen) {
  sm2_evp_key *key = key_new(point, err, errlen);
  if (key != NULL && eager && !build_pkey(key, NULL, err, errlen)) {
    sm2_evp_key_free(key);
    return NULL;
  }
  return key;
}

int sm2_evp_z(sm2_evp_key *key, const uint8_t *id, size_t id_len, uint8_t z[32]) {
  if (id_len > SM2_MAX_ID_BYTES) return 0;
  if (key->z_valid && key->z_id_len == id_len && (id_len == 0 || memcmp(key->z_id, id, id_len) == 0)) {
    memcpy(z, key->z, 32);
    return 1;
  }
  uint8_t entl[2] = {(uint8_t)((id_len * 8) >> 8), (uint8_t)(id_len * 8)};
  unsigned int zlen = 0;
  if (!EVP_DigestInit_ex(key->md_ctx, key->sm3, NULL) || !EVP_DigestUpdate(key->md_ctx, entl, 2) ||
      !EVP_DigestUpdate(key->md_ctx, id, id_len) ||
      !EVP_DigestUpdate(key->md_ctx, SM2_CURVE_FOR_Z, sizeof SM2_CURVE_FOR_Z) ||
      !EVP_DigestUpdate(key->md_ctx, key->point + 1, 64) || !EVP_DigestFinal_ex(key->md_ctx, z, &zlen)) {
    ERR_clear_error();
    return 0;
  }
  uint8_t *copy = malloc(id_len == 0 ? 1 : id_len);
  if (copy != NULL) {
    memcpy(copy, id, id_len);
    free(key->z_id);
    key->z_id = copy;
    key->z_id_len = id_len;
    memcpy(key->z, z, 32);
    key->z_valid = 1;
  }
  return 1;
}

int sm2_evp_e(sm2_evp_key *key, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len, uint8_t e[32]) {
  uint8_t z[32];
  unsigned int elen = 0;
  if (!sm2_evp_z(key, id, id_len, z)) return 0;
  if (!EVP_DigestInit_ex(key->md_ctx, key->sm3, NULL) || !EVP_DigestUpdate(key->md_ctx, z, 32) ||
      !EVP_DigestUpdate(key->md_ctx, msg, msg_len) || !EVP_DigestFinal_ex(key->md_ctx, e, &elen)) {
    ERR_clear_error();
    return 0;
  }
  return 1;
}

int sm2_evp_sign(sm2_evp_key *key, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len,
                 uint8_t sig[SM2_RAW_SIGNATURE_BYTES], char *err, size_t errlen) {
  uint8_t e[32];
  uint8_t der[80];
  size_t der_len = sizeof der;
  const unsigned char *p = der;
  ECDSA_SIG *parsed = NULL;
  int ok = 0;

  if (!sm2_evp_e(key, id, id_len, msg, msg_len, e)) {
    set_err(err, errlen, "SM3 failed while hashing the message");
    return 0;
  }
  /* The SM2 signature provider signs e itself (ossl_sm2_internal_sign): Z and SM3 are done above. */
  if (EVP_PKEY_sign(key->pkey_ctx, der, &der_len, e, sizeof e) <= 0) {
    set_err(err, errlen, "OpenSSL failed to make the SM2 signature");
    return 0;
  }
  parsed = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
  if (parsed == NULL || BN_bn2binpad(ECDSA_SIG_get0_r(parsed), sig, 32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(parsed), sig + 32, 32) != 32) {
    set_err(err, errlen, "OpenSSL returned an SM2 signature that cannot be decoded");
  } else {
    ok = 1;
  }
  ECDSA_SIG_free(parsed);
  return ok;
}

int sm2_evp_verify(sm2_evp_key *key, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len,
                   const uint8_t sig[SM2_RAW_SIGNATURE_BYTES], char *err, size_t errlen) {
  uint8_t e[32];
  unsigned char *der = NULL;
  int der_len;
  int result = -1;
  ECDSA_SIG *parsed = ECDSA_SIG_new();
  BIGNUM *r = BN_bin2bn(sig, 32, NULL);
  BIGNUM *s = BN_bin2bn(sig + 32, 32, NULL);

  if (key->pkey == NULL && !build_pkey(key, NULL, err, errlen)) goto done;
  if (!sm2_evp_e(key, id, id_len, msg, msg_len, e)) {
    set_err(err, errlen, "SM3 failed while hashing the message");
    goto done;
  }
  if (parsed == NULL || r == NULL || s == NULL || !ECDSA_SIG_set0(parsed, r, s)) {
    set_err(err, errlen, "out of memory");
    goto done;
  }
  r = s = NULL; /* owned by parsed now */
  der_len = i2d_ECDSA_SIG(parsed, &der);
  if (der_len <= 0) {
    set_err(err, errlen, "cannot encode the signature for OpenSSL");
    goto done;
  }
  /* 1 valid; 0 or a negative value when r, s are out of range or the equation fails: all mean "invalid". */
  result = EVP_PKEY_verify(key->pkey_ctx, der, (size_t)der_len, e, sizeof e) == 1 ? 1 : 0;
  ERR_clear_error();

done:
  OPENSSL_free(der);
  BN_free(r);
  BN_free(s);
  ECDSA_SIG_free(parsed);
  return result;
}
