/*
 * N-API surface of the SM2 addon (see certs-service/src/sm/sm2/native-binding.ts for the TypeScript view):
 *   createSigner(d: 32 bytes, point: 65 bytes) -> handle    createVerifier(point: 65 bytes) -> handle
 *   sign(signer, id, message) -> 64-byte r || s             verify(verifier, id, message, 64-byte r || s) -> boolean
 * Handles are opaque externals, type-tagged so a verifier cannot be passed where a signer is expected, and
 * freed by their finalizer. Argument kinds and sizes are checked here, so misuse is a TypeError or RangeError
 * in JavaScript and never undefined behaviour in C.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "sm2_evp.h"

static const napi_type_tag SIGNER_TAG = {0x6365727468756231ULL, 0x736d327369676e31ULL};
static const napi_type_tag VERIFIER_TAG = {0x6365727468756231ULL, 0x736d327665726931ULL};

#define CALL(env, expr)                                                   \
  do {                                                                    \
    if ((expr) != napi_ok) {                                              \
      napi_throw_error((env), "NATIVE_SM2", "N-API call failed: " #expr); \
      return NULL;                                                        \
    }                                                                     \
  } while (0)

typedef struct {
  const uint8_t *data;
  size_t length;
} bytes;

/* Reads a Uint8Array (Buffer included); throws TypeError for anything else, RangeError for a wrong size. */
static int get_bytes(napi_env env, napi_value value, const char *name, size_t exact, size_t max, bytes *out) {
  bool is_typed = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  char message[160];
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, &length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    snprintf(message, sizeof message, "%s must be a Uint8Array", name);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
    return 0;
  }
  if (exact != 0 && length != exact) {
    snprintf(message, sizeof message, "%s must be %zu bytes, got %zu", name, exact, length);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", message);
    return 0;
  }
  if (length > max) {
    snprintf(message, sizeof message, "%s must be at most %zu bytes, got %zu", name, max, length);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", message);
    return 0;
  }
  out->data = length == 0 ? (const uint8_t *)"" : data;
  out->length = length;
  return 1;
}

static sm2_evp_key *get_handle(napi_env env, napi_value value, const napi_type_tag *tag, const char *what) {
  napi_valuetype kind;
  bool tagged = false;
  void *key = NULL;
  char message[120];
  if (napi_typeof(env, value, &kind) != napi_ok || kind != napi_external ||
      napi_check_object_type_tag(env, value, tag, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, value, &key) != napi_ok || key == NULL) {
    snprintf(message, sizeof message, "expected a handle from %s()", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
    return NULL;
  }
  return key;
}

static void finalize_key(napi_env env, void *data, void *hint) { sm2_evp_key_free(data); }

static napi_value wrap_key(napi_env env, sm2_evp_key *key, const napi_type_tag *tag) {
  napi_value external;
  if (napi_create_external(env, key, finalize_key, NULL, &external) != napi_ok) {
    sm2_evp_key_free(key);
    napi_throw_error(env, "NATIVE_SM2", "cannot create the key handle");
    return NULL;
  }
  CALL(env, napi_type_tag_object(env, external, tag));
  return external;
}

static int get_args(napi_env env, napi_callback_info info, size_t expected, napi_value *argv) {
  size_t argc = expected;
  char message[80];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return 0;
  if (argc < expected) {
    snprintf(message, sizeof message, "expected %zu arguments, got %zu", expected, argc);
    napi_throw_type_error(env, "ERR_MISSING_ARGS", message);
    return 0;
  }
  return 1;
}

static napi_value create_signer(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  bytes d, point;
  char err[256];
  if (!get_args(env, info, 2, argv) || !get_bytes(env, argv[0], "d", SM2_SCALAR_BYTES, SM2_SCALAR_BYTES, &d) ||
      !get_bytes(env, argv[1], "publicPoint", SM2_POINT_BYTES, SM2_POINT_BYTES, &point))
    return NULL;
  sm2_evp_key *key = sm2_evp_signer_new(d.data, point.data, err, sizeof err);
  if (key == NULL) {
    napi_throw_range_error(env, "INVALID_SM2_KEY", err);
    return NULL;
  }
  return wrap_key(env, key, &SIGNER_TAG);
}

static napi_value create_verifier(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  bytes point;
  char err[256];
  if (!get_args(env, info, 1, argv) ||
      !get_bytes(env, argv[0], "publicPoint", SM2_POINT_BYTES, SM2_POINT_BYTES, &point))
    return NULL;
  sm2_evp_key *key = sm2_evp_verifier_new(point.data, err, sizeof err);
  if (key == NULL) {
    napi_throw_range_error(env, "INVALID_SM2_KEY", err);
    return NULL;
  }
  return wrap_key(env, key, &VERIFIER_TAG);
}

static napi_value sign(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  bytes id, msg;
  char err[256];
  void *out_data = NULL;
  napi_value out_buffer, result;
  uint8_t sig[SM2_RAW_SIGNATURE_BYTES];
  if (!get_args(env, info, 3, argv)) return NULL;
  sm2_evp_key *key = get_handle(env, argv[0], &SIGNER_TAG, "createSigner");
  if (key == NULL || !get_bytes(env, argv[1], "id", 0, SM2_MAX_ID_BYTES, &id) ||
      !get_bytes(env, argv[2], "message", 0, SIZE_MAX, &msg))
    return NULL;
  if (!sm2_evp_sign(key, id.data, id.length, msg.data, msg.length, sig, err, sizeof err)) {
    napi_throw_error(env, "NATIVE_SM2", err);
    return NULL;
  }
  CALL(env, napi_create_arraybuffer(env, sizeof sig, &out_data, &out_buffer));
  memcpy(out_data, sig, sizeof sig);
  CALL(env, napi_create_typedarray(env, napi_uint8_array, sizeof sig, out_buffer, 0, &result));
  return result;
}

static napi_value verify(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  bytes id, msg, sig;
  char err[256];
  napi_value result;
  if (!get_args(env, info, 4, argv)) return NULL;
  sm2_evp_key *key = get_handle(env, argv[0], &VERIFIER_TAG, "createVerifier");
  if (key == NULL || !get_bytes(env, argv[1], "id", 0, SM2_MAX_ID_BYTES, &id) ||
      !get_bytes(env, argv[2], "message", 0, SIZE_MAX, &msg) ||
      !get_bytes(env, argv[3], "rawSignature", SM2_RAW_SIGNATURE_BYTES, SM2_RAW_SIGNATURE_BYTES, &sig))
    return NULL;
  int ok = sm2_evp_verify(key, id.data, id.length, msg.data, msg.length, sig.data, err, sizeof err);
  if (ok < 0) {
    napi_throw_error(env, "NATIVE_SM2", err);
    return NULL;
  }
  CALL(env, napi_get_boolean(env, ok == 1, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"createSigner", NULL, create_signer, NULL, NULL, NULL, napi_enumerable, NULL},
      {"createVerifier", NULL, create_verifier, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sign", NULL, sign, NULL, NULL, NULL, napi_enumerable, NULL},
      {"verify", NULL, verify, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_value version;
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  /* Which OpenSSL the addon is bound to, for the benchmark and for diagnostics. */
  if (napi_create_string_utf8(env, OpenSSL_version(OPENSSL_VERSION), NAPI_AUTO_LENGTH, &version) != napi_ok ||
      napi_set_named_property(env, exports, "opensslVersion", version) != napi_ok)
    return NULL;
  return exports;
}
