/*
 * N-API surface of the SM2 addon (see certs-service/src/sm/sm2/native-binding.ts for the TypeScript view):
 *   createSigner(d: 32 bytes, point: 65 bytes) -> handle    createVerifier(point: 65 bytes) -> handle
 *   sign(signer, id, message) -> 64-byte r || s             verify(verifier, id, message, 64-byte r || s) -> boolean
 *   verifyAsync(verifier, id, message, 64-byte r || s) -> Promise<boolean>, computed on libuv's thread pool
 * Handles are opaque externals, type-tagged so a verifier cannot be passed where a signer is expected, and
 * freed by their finalizer. Argument kinds and sizes are checked here, so misuse is a TypeError or RangeError
 * in JavaScript and never undefined behaviour in C.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sm2_evp.h"
#include "sm2_fast.h"

/*
 * A key handle. `evp` always hashes (Z per ID, then e = SM3(Z || M)) and holds the OpenSSL key for the EVP
 * route; sign/verify use the fast arithmetic of sm2_fast.c, signWithEvp/verifyWithEvp OpenSSL's own SM2
 * (kept for differential tests and the benchmark's comparison).
 */
typedef struct {
  sm2_evp_key *evp;
  sm2_fast_signer signer;
  sm2_fast_verifier verifier;
  /*
   * Held while a key is used: hashing reuses the key's digest context and cached Z, and a verifier builds its own comb
   * table after a few uses, so a verification on the thread pool must not overlap another one on the same key.
   */
  pthread_mutex_t lock;
} sm2_handle;

/* A zeroed handle with its lock, or NULL. */
static sm2_handle *handle_new(void) {
  sm2_handle *handle = calloc(1, sizeof *handle);
  if (handle != NULL && pthread_mutex_init(&handle->lock, NULL) != 0) {
    free(handle);
    return NULL;
  }
  return handle;
}

static void handle_free(sm2_handle *handle) {
  if (handle == NULL) return;
  pthread_mutex_destroy(&handle->lock);
  sm2_evp_key_free(handle->evp);
  sm2_fast_signer_clear(&handle->signer);
  sm2_fast_verifier_clear(&handle->verifier);
  free(handle);
}

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

static sm2_handle *get_handle(napi_env env, napi_value value, const napi_type_tag *tag, const char *what) {
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

static void finalize_key(napi_env env, void *data, void *hint) { handle_free(data); }

static napi_value wrap_key(napi_env env, sm2_handle *key, const napi_type_tag *tag) {
  napi_value external;
  if (napi_create_external(env, key, finalize_key, NULL, &external) != napi_ok) {
    handle_free(key);
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
  sm2_handle *handle = handle_new();
  if (handle == NULL) {
    napi_throw_error(env, "NATIVE_SM2", "out of memory");
    return NULL;
  }
  /* OpenSSL checks the key (d in [1, n-2], point = d·G) before the fast route takes d. */
  handle->evp = sm2_evp_signer_new(d.data, point.data, err, sizeof err);
  if (handle->evp == NULL || !sm2_fast_signer_init(&handle->signer, d.data)) {
    if (handle->evp != NULL) snprintf(err, sizeof err, "the private scalar is out of range");
    handle_free(handle);
    napi_throw_range_error(env, "INVALID_SM2_KEY", err);
    return NULL;
  }
  return wrap_key(env, handle, &SIGNER_TAG);
}

static napi_value create_verifier(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  bytes point;
  char err[256];
  if (!get_args(env, info, 1, argv) ||
      !get_bytes(env, argv[0], "publicPoint", SM2_POINT_BYTES, SM2_POINT_BYTES, &point))
    return NULL;
  if (point.data[0] != 0x04) {
    napi_throw_range_error(env, "INVALID_SM2_KEY", "the public point must be uncompressed (04 || x || y)");
    return NULL;
  }
  sm2_handle *handle = handle_new();
  if (handle == NULL) {
    napi_throw_error(env, "NATIVE_SM2", "out of memory");
    return NULL;
  }
  /* The fast route checks the point is on the curve; OpenSSL's key is only built if the EVP route is used. */
  if (!sm2_fast_verifier_init(&handle->verifier, point.data)) {
    handle_free(handle);
    napi_throw_range_error(env, "INVALID_SM2_KEY", "the public point is not on the SM2 curve");
    return NULL;
  }
  handle->evp = sm2_evp_verifier_new(point.data, 0, err, sizeof err);
  if (handle->evp == NULL) {
    handle_free(handle);
    napi_throw_error(env, "NATIVE_SM2", err);
    return NULL;
  }
  return wrap_key(env, handle, &VERIFIER_TAG);
}

static napi_value bytes_result(napi_env env, const uint8_t *data, size_t length) {
  void *out_data = NULL;
  napi_value out_buffer, result;
  CALL(env, napi_create_arraybuffer(env, length, &out_data, &out_buffer));
  memcpy(out_data, data, length);
  CALL(env, napi_create_typedarray(env, napi_uint8_array, length, out_buffer, 0, &result));
  return result;
}

static napi_value sign_with(napi_env env, napi_callback_info info, int use_evp) {
  napi_value argv[3];
  bytes id, msg;
  char err[256];
  uint8_t sig[SM2_RAW_SIGNATURE_BYTES];
  uint8_t e[32];
  if (!get_args(env, info, 3, argv)) return NULL;
  sm2_handle *key = get_handle(env, argv[0], &SIGNER_TAG, "createSigner");
  if (key == NULL || !get_bytes(env, argv[1], "id", 0, SM2_MAX_ID_BYTES, &id) ||
      !get_bytes(env, argv[2], "message", 0, SIZE_MAX, &msg))
    return NULL;
  int signed_ok;
  pthread_mutex_lock(&key->lock);
  if (use_evp) {
    signed_ok = sm2_evp_sign(key->evp, id.data, id.length, msg.data, msg.length, sig, err, sizeof err);
  } else {
    signed_ok = sm2_evp_e(key->evp, id.data, id.length, msg.data, msg.length, e) &&
                sm2_fast_sign_digest(&key->signer, e, sig);
    if (!signed_ok) snprintf(err, sizeof err, "SM2 signing failed (SM3 or the random generator failed)");
  }
  pthread_mutex_unlock(&key->lock);
  if (!signed_ok) {
    napi_throw_error(env, "NATIVE_SM2", err);
    return NULL;
  }
  return bytes_result(env, sig, sizeof sig);
}

/* verify's and verifyAsync's arguments (verifier, id, message, 64-byte r || s), checked; NULL with an exception set. */
static sm2_handle *verify_arguments(napi_env env, napi_callback_info info, napi_value argv[4], bytes *id, bytes *msg,
                                    bytes *sig) {
  if (!get_args(env, info, 4, argv)) return NULL;
  sm2_handle *key = get_handle(env, argv[0], &VERIFIER_TAG, "createVerifier");
  if (key == NULL || !get_bytes(env, argv[1], "id", 0, SM2_MAX_ID_BYTES, id) ||
      !get_bytes(env, argv[2], "message", 0, SIZE_MAX, msg) ||
      !get_bytes(env, argv[3], "rawSignature", SM2_RAW_SIGNATURE_BYTES, SM2_RAW_SIGNATURE_BYTES, sig))
    return NULL;
  return key;
}

/* The fast route's verification under the key's lock: 1 valid, 0 invalid, -1 error (message in err). */
static int fast_verify(sm2_handle *key, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len,
                       const uint8_t sig[SM2_RAW_SIGNATURE_BYTES], char *err, size_t errlen) {
  uint8_t e[32];
  int ok;
  pthread_mutex_lock(&key->lock);
  if (sm2_evp_e(key->evp, id, id_len, msg, msg_len, e)) {
    ok = sm2_fast_verify_digest(&key->verifier, e, sig);
  } else {
    ok = -1;
    snprintf(err, errlen, "SM3 failed while hashing the message");
  }
  pthread_mutex_unlock(&key->lock);
  return ok;
}

static napi_value verify_with(napi_env env, napi_callback_info info, int use_evp) {
  napi_value argv[4];
  bytes id, msg, sig;
  char err[256];
  napi_value result;
  int ok;
  sm2_handle *key = verify_arguments(env, info, argv, &id, &msg, &sig);
  if (key == NULL) return NULL;
  if (use_evp) {
    pthread_mutex_lock(&key->lock);
    ok = sm2_evp_verify(key->evp, id.data, id.length, msg.data, msg.length, sig.data, err, sizeof err);
    pthread_mutex_unlock(&key->lock);
  } else {
    ok = fast_verify(key, id.data, id.length, msg.data, msg.length, sig.data, err, sizeof err);
  }
  if (ok < 0) {
    napi_throw_error(env, "NATIVE_SM2", err);
    return NULL;
  }
  CALL(env, napi_get_boolean(env, ok == 1, &result));
  return result;
}

/*
 * verifyAsync: the fast route's verification on libuv's thread pool, so the JavaScript thread only copies the inputs
 * and later settles the promise. The job owns copies of the ID, message and signature, and a reference that keeps the
 * key handle alive until the job completes.
 */
typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref key_ref;
  sm2_handle *key;
  uint8_t *id;
  size_t id_length;
  uint8_t *message;
  size_t message_length;
  uint8_t sig[SM2_RAW_SIGNATURE_BYTES];
  int ok; /* 1 valid, 0 invalid, -1 error */
  char err[256];
} verify_job;

static void verify_job_free(napi_env env, verify_job *job) {
  if (job->key_ref != NULL) napi_delete_reference(env, job->key_ref);
  if (job->work != NULL) napi_delete_async_work(env, job->work);
  free(job->id);
  free(job->message);
  free(job);
}

static void verify_job_execute(napi_env env, void *data) {
  verify_job *job = data;
  job->ok = fast_verify(job->key, job->id, job->id_length, job->message, job->message_length, job->sig, job->err,
                        sizeof job->err);
}

static void verify_job_complete(napi_env env, napi_status status, void *data) {
  verify_job *job = data;
  napi_value value = NULL, code = NULL, message = NULL;
  if (status != napi_ok) snprintf(job->err, sizeof job->err, "the verification did not run (N-API status %d)", status);
  if (status == napi_ok && job->ok >= 0) {
    if (napi_get_boolean(env, job->ok == 1, &value) == napi_ok) napi_resolve_deferred(env, job->deferred, value);
  } else if (napi_create_string_utf8(env, "NATIVE_SM2", NAPI_AUTO_LENGTH, &code) == napi_ok &&
             napi_create_string_utf8(env, job->err, NAPI_AUTO_LENGTH, &message) == napi_ok &&
             napi_create_error(env, code, message, &value) == napi_ok) {
    napi_reject_deferred(env, job->deferred, value);
  }
  verify_job_free(env, job);
}

/* A malloc'd copy of some bytes (at least one byte allocated, so an empty input is not NULL). */
static uint8_t *copy_bytes(const bytes *in) {
  uint8_t *out = malloc(in->length == 0 ? 1 : in->length);
  if (out != NULL && in->length > 0) memcpy(out, in->data, in->length);
  return out;
}

static napi_value verify_async(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  napi_value promise, name;
  bytes id, msg, sig;
  sm2_handle *key = verify_arguments(env, info, argv, &id, &msg, &sig);
  if (key == NULL) return NULL;
  verify_job *job = calloc(1, sizeof *job);
  if (job == NULL || (job->id = copy_bytes(&id)) == NULL || (job->message = copy_bytes(&msg)) == NULL) {
    if (job != NULL) verify_job_free(env, job);
    napi_throw_error(env, "NATIVE_SM2", "out of memory");
    return NULL;
  }
  job->key = key;
  job->id_length = id.length;
  job->message_length = msg.length;
  memcpy(job->sig, sig.data, sizeof job->sig);
  if (napi_create_reference(env, argv[0], 1, &job->key_ref) != napi_ok ||
      napi_create_string_utf8(env, "certhub:sm2-verify", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, verify_job_execute, verify_job_complete, job, &job->work) != napi_ok) {
    verify_job_free(env, job);
    napi_throw_error(env, "NATIVE_SM2", "cannot start the verification");
    return NULL;
  }
  /* The promise last: once it exists, every way out settles it. */
  if (napi_create_promise(env, &job->deferred, &promise) != napi_ok) {
    verify_job_free(env, job);
    napi_throw_error(env, "NATIVE_SM2", "cannot start the verification");
    return NULL;
  }
  if (napi_queue_async_work(env, job->work) != napi_ok) {
    napi_value code, message, error;
    if (napi_create_string_utf8(env, "NATIVE_SM2", NAPI_AUTO_LENGTH, &code) == napi_ok &&
        napi_create_string_utf8(env, "cannot queue the verification", NAPI_AUTO_LENGTH, &message) == napi_ok &&
        napi_create_error(env, code, message, &error) == napi_ok)
      napi_reject_deferred(env, job->deferred, error);
    verify_job_free(env, job);
  }
  return promise;
}

static napi_value sign(napi_env env, napi_callback_info info) { return sign_with(env, info, 0); }
static napi_value sign_evp(napi_env env, napi_callback_info info) { return sign_with(env, info, 1); }
static napi_value verify(napi_env env, napi_callback_info info) { return verify_with(env, info, 0); }
static napi_value verify_evp(napi_env env, napi_callback_info info) { return verify_with(env, info, 1); }

/* k·G by the fast route's comb (04 || x || y), so tests can check the arithmetic on chosen scalars. */
static napi_value multiply_base(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  bytes k;
  uint8_t out[SM2_POINT_BYTES];
  if (!get_args(env, info, 1, argv) || !get_bytes(env, argv[0], "k", SM2_SCALAR_BYTES, SM2_SCALAR_BYTES, &k))
    return NULL;
  if (!sm2_fast_base_mul(k.data, out)) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "k must be in [1, n-1]");
    return NULL;
  }
  return bytes_result(env, out, sizeof out);
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"createSigner", NULL, create_signer, NULL, NULL, NULL, napi_enumerable, NULL},
      {"createVerifier", NULL, create_verifier, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sign", NULL, sign, NULL, NULL, NULL, napi_enumerable, NULL},
      {"verify", NULL, verify, NULL, NULL, NULL, napi_enumerable, NULL},
      {"verifyAsync", NULL, verify_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"signWithEvp", NULL, sign_evp, NULL, NULL, NULL, napi_enumerable, NULL},
      {"verifyWithEvp", NULL, verify_evp, NULL, NULL, NULL, napi_enumerable, NULL},
      {"multiplyBase", NULL, multiply_base, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_value version;
  if (!sm2_fast_init()) {
    napi_throw_error(env, "NATIVE_SM2", "cannot initialise the SM2 tables");
    return NULL;
  }
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  /* Which OpenSSL the addon is bound to, for the benchmark and for diagnostics. */
  if (napi_create_string_utf8(env, OpenSSL_version(OPENSSL_VERSION), NAPI_AUTO_LENGTH, &version) != napi_ok ||
      napi_set_named_property(env, exports, "opensslVersion", version) != napi_ok)
    return NULL;
  return exports;
}
